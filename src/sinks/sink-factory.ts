// What a sink factory is: it opens one EventSink from its typed config section. Factories are
// listed in registry.ts; the config types are derived from there.
import type { EventSink } from '../core/ports.ts';

export interface SinkContext {
  /** The data directory; sinks keep their files under it. */
  readonly dataDir: string;
  readonly now: () => number;
}

export interface SinkFactory {
  /** `config` is the sink's own section; `never` lets each factory name its own type. */
  readonly open: (config: never, context: SinkContext) => Promise<EventSink>;
}
