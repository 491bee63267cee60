// The one dispatcher: fans every published event out to each sink through its own lane (queue,
// batching, retry, spool), isolates failing sinks, feeds live subscribers, and drains on close.
import { join } from 'node:path';
import type { HachiEvent } from '../core/events.ts';
import type { EventPort, EventSink } from '../core/ports.ts';
import { createFileSpool } from './file-spool.ts';
import type { Logger } from '../core/ports.ts';
import { createSinkLane } from './sink-lane.ts';
import type { SinkLane, SinkStats } from './sink-lane.ts';

export type { SinkStats } from './sink-lane.ts';

export interface DispatcherOptions {
  readonly sinks: readonly EventSink[];
  readonly logger: Logger;
  readonly now?: () => number;
  /** Largest batch handed to a sink (default 1,000). */
  readonly batchSize?: number;
  /** Longest an event waits for its batch to fill (default 50 ms). */
  readonly batchDelayMs?: number;
  /** Events each sink may hold in memory (default 100,000). */
  readonly maxQueued?: number;
  /** A spool file per sink (`<dir>/<sink>.jsonl`) so a sink that is down buffers on disk. */
  readonly spool?: { readonly dir: string; readonly maxBytesPerSink: number } | null;
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  readonly warnIntervalMs?: number;
}

export type EventListener = (event: HachiEvent) => void;

export interface Dispatcher extends EventPort {
  /** Calls `listener` synchronously for every published event; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void;
  /** Resolves true when everything published before the call was written (or dropped) everywhere. */
  flush(options?: { readonly timeoutMs?: number }): Promise<boolean>;
  /** Stops accepting events, drains every lane (spooling what a dead sink could not take), closes the sinks. */
  close(options?: { readonly timeoutMs?: number }): Promise<void>;
  stats(): Readonly<Record<string, SinkStats>>;
}

const SINK_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const lanes = new Map<string, SinkLane>();
  for (const sink of options.sinks) {
    // The name becomes a spool file name, so it must be a plain token.
    if (!SINK_NAME.test(sink.name) || sink.name.startsWith('.')) throw new Error(`invalid sink name ${JSON.stringify(sink.name)}`);
    if (lanes.has(sink.name)) throw new Error(`duplicate sink name ${JSON.stringify(sink.name)}`);
    const spool = options.spool ? createFileSpool(join(options.spool.dir, `${sink.name}.jsonl`), options.spool.maxBytesPerSink) : null;
    lanes.set(
      sink.name,
      createSinkLane({
        sink,
        logger,
        now,
        spool,
        batchSize: options.batchSize ?? 1000,
        batchDelayMs: options.batchDelayMs ?? 50,
        maxQueued: options.maxQueued ?? 100_000,
        retryInitialMs: options.retryInitialMs ?? 100,
        retryMaxMs: options.retryMaxMs ?? 30_000,
        warnIntervalMs: options.warnIntervalMs ?? 10_000,
      }),
    );
  }
  const listeners = new Set<EventListener>();
  let closing: Promise<void> | null = null;
  let droppedAfterClose = 0;

  return {
    publish(event) {
      if (closing) {
        droppedAfterClose += 1;
        if (droppedAfterClose === 1) logger.warn('event published after the dispatcher closed; dropped', { type: event.type, id: event.id });
        return;
      }
      for (const lane of lanes.values()) {
        try {
          lane.push(event);
        } catch (error) {
          logger.warn('dispatcher could not queue an event', { error: error instanceof Error ? error.message : String(error) });
        }
      }
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          // A broken subscriber must never reach the session that published.
          logger.warn('event subscriber threw', { error: error instanceof Error ? error.message : String(error) });
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    async flush(flushOptions) {
      const timeoutMs = flushOptions?.timeoutMs ?? 30_000;
      const results = await Promise.all([...lanes.values()].map((lane) => lane.flush(timeoutMs)));
      return results.every(Boolean);
    },
    close(closeOptions) {
      closing ??= (async () => {
        const timeoutMs = closeOptions?.timeoutMs ?? 10_000;
        await Promise.all([...lanes.values()].map((lane) => lane.close(timeoutMs)));
        listeners.clear();
        for (const sink of options.sinks) {
          try {
            await sink.close();
          } catch (error) {
            logger.warn(`sink ${sink.name}: close failed`, { sink: sink.name, error: error instanceof Error ? error.message : String(error) });
          }
        }
      })();
      return closing;
    },
    stats() {
      return Object.fromEntries([...lanes].map(([name, lane]) => [name, lane.stats()]));
    },
  };
}
