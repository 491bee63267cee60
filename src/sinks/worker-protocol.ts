// Messages between a WorkerSink (session thread) and the sink it runs in a worker thread.
import type { HachiEvent } from '../core/events.ts';
import type { SinkContext } from './sink-factory.ts';
import type { SinkConfigs, SinkName } from './registry.ts';

export interface WorkerInit<K extends SinkName = SinkName> {
  readonly sink: K;
  readonly config: SinkConfigs[K];
  /** `now` cannot cross threads: the worker uses its own clock. */
  readonly dataDir: SinkContext['dataDir'];
}

export type ToWorker = { readonly kind: 'write'; readonly seq: number; readonly batch: readonly HachiEvent[] } | { readonly kind: 'close'; readonly seq: number };

export type FromWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'open-failed'; readonly message: string }
  | { readonly kind: 'done'; readonly seq: number }
  | { readonly kind: 'failed'; readonly seq: number; readonly message: string };
