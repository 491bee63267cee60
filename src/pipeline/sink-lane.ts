// One sink's lane in the dispatcher: its own bounded queue, size/time batching, retries with backoff,
// overflow into an optional disk spool, and counted, reported drops. A lane never throws to publish.
import type { HachiEvent } from '../core/events.ts';
import type { EventSink } from '../core/ports.ts';
import { EventQueue } from './event-queue.ts';
import type { FileSpool } from './file-spool.ts';
import type { Logger } from '../core/ports.ts';

export interface LaneOptions {
  readonly sink: EventSink;
  readonly logger: Logger;
  readonly now: () => number;
  readonly batchSize: number;
  readonly batchDelayMs: number;
  /** Events held in memory; past it they go to the spool file, or the oldest are dropped. */
  readonly maxQueued: number;
  readonly spool: FileSpool | null;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  /** Repeated warnings (drops, failures) are summarised at most once per interval. */
  readonly warnIntervalMs: number;
}

export interface SinkStats {
  readonly written: number;
  readonly queued: number;
  readonly spooled: number;
  readonly dropped: number;
  readonly failures: number;
  readonly healthy: boolean;
  readonly lastError: string | null;
}

export interface SinkLane {
  push(event: HachiEvent): void;
  /** Resolves true once as many events as were pushed before the call are written or dropped. */
  flush(timeoutMs: number): Promise<boolean>;
  /** Drains within `timeoutMs`; what is left goes to the spool file (or is dropped, and said so). */
  close(timeoutMs: number): Promise<void>;
  stats(): SinkStats;
}

export function createSinkLane(o: LaneOptions): SinkLane {
  const name = o.sink.name;
  const memory = new EventQueue();
  let spool = o.spool;
  let spoolReady: Promise<void> = Promise.resolve();
  let inflight: HachiEvent[] = [];
  let fromSpool = false; // whether `inflight` came from the spool file (it stays there until acked)
  let limbo = 0; // events moving from memory to the spool file
  let spilling = false;
  let pushed = 0;
  let settled = 0;
  let written = 0;
  let dropped = 0;
  let failures = 0;
  let streak = 0;
  let lastError: string | null = null;
  let stopping = false;
  let hardStop = false;
  let lastDropWarn = -Infinity;
  let unreportedDrops = 0;
  let lastFailWarn = -Infinity;
  let flushWaiters: { target: number; resolve: (ok: boolean) => void }[] = [];
  let wake: (() => void) | null = null;
  let waitingFor: 'work' | 'batch' | 'backoff' | null = null;

  // Spool operations and taking a batch are serialised so the file always holds older events than memory.
  let lockChain: Promise<unknown> = Promise.resolve();
  const locked = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = lockChain.then(fn);
    lockChain = run.catch(() => undefined);
    return run;
  };

  const signal = (): void => {
    const w = wake;
    wake = null;
    waitingFor = null;
    w?.();
  };
  const sleep = (mode: 'work' | 'batch' | 'backoff', ms: number | null): Promise<void> =>
    new Promise((resolve) => {
      const timer = ms === null ? null : setTimeout(signal, ms);
      if (mode === 'backoff') timer?.unref();
      waitingFor = mode;
      wake = () => {
        if (timer) clearTimeout(timer);
        resolve();
      };
    });

  const settle = (n: number): void => {
    settled += n;
    if (flushWaiters.length === 0) return;
    const done = flushWaiters.filter((w) => settled >= w.target);
    flushWaiters = flushWaiters.filter((w) => settled < w.target);
    for (const w of done) w.resolve(true);
  };
  const noteDropped = (n: number, why: string): void => {
    if (n <= 0) return;
    dropped += n;
    unreportedDrops += n;
    settle(n);
    const now = o.now();
    if (now - lastDropWarn >= o.warnIntervalMs) {
      lastDropWarn = now;
      o.logger.warn(`sink ${name}: dropped the oldest events (${why})`, { sink: name, dropped: unreportedDrops, droppedTotal: dropped });
      unreportedDrops = 0;
    }
  };

  const spill = (): void => {
    const file = spool;
    if (!file || spilling) return;
    spilling = true;
    let chunk: HachiEvent[] = [];
    locked(async () => {
      await spoolReady;
      chunk = memory.takeFront(memory.length - Math.floor(o.maxQueued / 2));
      limbo = chunk.length;
      noteDropped(await file.append(chunk), 'spool file full');
    })
      .catch((error: unknown) => {
        o.logger.warn(`sink ${name}: spool file failed, keeping events in memory only`, { sink: name, error: describe(error) });
        spool = null;
        memory.prepend(chunk);
        enforceMemoryCap();
      })
      .finally(() => {
        limbo = 0;
        spilling = false;
        if (spool && memory.length > o.maxQueued) spill();
      });
  };
  const enforceMemoryCap = (): void => {
    // With a spool file, memory may briefly hold twice the cap while a spill is written.
    const cap = spool ? o.maxQueued * 2 : o.maxQueued;
    if (memory.length > cap) noteDropped(memory.takeFront(memory.length - cap).length, spool ? 'spool file too slow' : 'queue full');
  };

  const takeBatch = async (): Promise<boolean> => {
    await spoolReady;
    if (spool && spool.count > 0) {
      const { events, corrupt } = await spool.take(o.batchSize);
      noteDropped(corrupt, 'unreadable spool lines');
      inflight = events;
      return true;
    }
    inflight = memory.takeFront(o.batchSize);
    return false;
  };

  const warnFailure = (error: unknown): void => {
    const now = o.now();
    if (streak === 1 || now - lastFailWarn >= o.warnIntervalMs) {
      lastFailWarn = now;
      o.logger.warn(`sink ${name}: write failed, will retry`, { sink: name, attempt: streak, error: describe(error) });
    }
  };

  const available = (): number => memory.length + (spool?.count ?? 0) + limbo;

  const run = async (): Promise<void> => {
    if (spool) {
      const file = spool;
      spoolReady = locked(async () => {
        const { recovered, dropped: cut } = await file.open();
        if (recovered > 0) o.logger.info(`sink ${name}: replaying ${recovered} spooled events`, { sink: name, recovered });
        noteDropped(cut, 'spool file over its cap at start');
      }).catch((error: unknown) => {
        o.logger.warn(`sink ${name}: spool file unusable, keeping events in memory only`, { sink: name, error: describe(error) });
        spool = null;
      });
      await spoolReady;
    }
    while (!hardStop) {
      if (inflight.length === 0) {
        if (available() === 0) {
          if (stopping) break;
          await sleep('work', null);
          continue;
        }
        const urgent = stopping || flushWaiters.length > 0;
        if (!urgent && limbo === 0 && (spool?.count ?? 0) === 0 && memory.length < o.batchSize) await sleep('batch', o.batchDelayMs);
        fromSpool = await locked(takeBatch);
        if (inflight.length === 0 || hardStop) continue;
      }
      try {
        await o.sink.write(inflight);
        const n = inflight.length;
        inflight = [];
        if (fromSpool && spool) await locked(() => (spool ? spool.ack() : Promise.resolve()));
        written += n;
        if (streak > 0) o.logger.info(`sink ${name}: recovered after ${streak} failed attempts`, { sink: name });
        streak = 0;
        settle(n);
      } catch (error) {
        failures += 1;
        streak += 1;
        lastError = describe(error);
        warnFailure(error);
        if (!hardStop) await sleep('backoff', Math.min(o.retryMaxMs, o.retryInitialMs * 2 ** Math.min(streak - 1, 30)));
      }
    }
  };
  const running = run().catch((error: unknown) => {
    o.logger.warn(`sink ${name}: lane stopped unexpectedly`, { sink: name, error: describe(error) });
  });

  return {
    push(event) {
      memory.push(event);
      pushed += 1;
      if (spool && memory.length > o.maxQueued) spill();
      enforceMemoryCap();
      if (waitingFor === 'work' || (waitingFor === 'batch' && memory.length >= o.batchSize)) signal();
    },
    flush(timeoutMs) {
      if (settled >= pushed) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          flushWaiters = flushWaiters.filter((w) => w !== waiter);
          resolve(false);
        }, timeoutMs);
        const waiter = {
          target: pushed,
          resolve: (ok: boolean) => {
            clearTimeout(timer);
            resolve(ok);
          },
        };
        flushWaiters.push(waiter);
        if (waitingFor !== 'backoff') signal();
      });
    },
    async close(timeoutMs) {
      stopping = true;
      if (waitingFor !== 'backoff') signal();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        running.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (!timedOut) {
        await spool?.close();
        return;
      }
      hardStop = true;
      signal();
      await locked(async () => {
        // A batch taken from the spool file is still in it (unacknowledged), so only memory is added.
        const rest = [...(fromSpool ? [] : inflight), ...memory.takeFront(memory.length)];
        inflight = [];
        if (rest.length === 0) return;
        if (spool) {
          noteDropped(await spool.append(rest), 'spool file full');
          o.logger.warn(`sink ${name}: not drained at close, ${rest.length} events kept in the spool file`, { sink: name, spooled: rest.length });
        } else {
          noteDropped(rest.length, 'not drained at close and no spool file');
        }
      }).catch((error: unknown) => {
        o.logger.warn(`sink ${name}: could not spool events at close`, { sink: name, error: describe(error) });
      });
      await spool?.close();
    },
    stats() {
      return {
        written,
        queued: memory.length + (fromSpool ? 0 : inflight.length),
        spooled: (spool?.count ?? 0) + limbo + (fromSpool ? inflight.length : 0),
        dropped,
        failures,
        healthy: streak === 0,
        lastError,
      };
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
