// An in-memory EventSink for tests: keeps every batch, and can be told to fail or stall on demand.
import type { HachiEvent } from '../core/events.ts';
import type { EventSink } from '../core/ports.ts';
import type { LogFields, Logger } from '../core/ports.ts';

export interface MemorySink extends EventSink {
  readonly batches: HachiEvent[][];
  readonly events: () => HachiEvent[];
  /** While true, every write rejects. */
  failing: boolean;
  /** While set, writes wait for this promise before completing. */
  gate: Promise<void> | null;
  closed: number;
  readBack(): Promise<HachiEvent[]>;
}

export function createMemorySink(name = 'memory'): MemorySink {
  const sink: MemorySink = {
    name,
    batches: [],
    events: () => sink.batches.flat(),
    failing: false,
    gate: null,
    closed: 0,
    async write(batch) {
      if (sink.closed > 0) throw new Error(`sink ${name} is closed`);
      if (sink.gate) await sink.gate;
      if (sink.failing) throw new Error(`sink ${name} is down`);
      sink.batches.push([...batch]);
    },
    async close() {
      sink.closed += 1;
    },
    async readBack() {
      return sink.events();
    },
  };
  return sink;
}

/** A Logger that keeps what it was told, for assertions. */
export function createMemoryLogger(): Logger & { readonly lines: { level: string; message: string; fields?: LogFields }[] } {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  return {
    lines,
    info: (message, fields) => lines.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
    warn: (message, fields) => lines.push({ level: 'warn', message, ...(fields ? { fields } : {}) }),
  };
}

/** Polls `check` until it holds or `timeoutMs` passes. */
export async function waitUntil(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
