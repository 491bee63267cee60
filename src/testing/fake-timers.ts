// A manual clock and timer queue for tests of timer-driven code (health probes, reset schedules):
// time moves only when the test calls advance(), so schedules are tested in microseconds, exactly.

export interface FakeTimers {
  readonly now: () => number;
  /** Same shape as the Timers port of src/relay/device-health.ts: calls fn once after ms, returns cancel. */
  readonly timers: { after(ms: number, fn: () => void): () => void };
  /** Moves time forward, firing due timers in order and letting promise chains they start settle. */
  advance(ms: number): Promise<void>;
  /** Timers still waiting. */
  pending(): number;
}

interface Entry {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** Lets pending promise callbacks (several hops deep) run before the test looks. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export function createFakeTimers(start = 0): FakeTimers {
  let now = start;
  let seq = 0;
  let queue: Entry[] = [];
  const nextDue = (limit: number): Entry | null => {
    let best: Entry | null = null;
    for (const e of queue) {
      if (e.cancelled || e.at > limit) continue;
      if (best === null || e.at < best.at || (e.at === best.at && e.seq < best.seq)) best = e;
    }
    return best;
  };
  return {
    now: () => now,
    timers: {
      after(ms, fn) {
        const entry: Entry = { at: now + Math.max(0, ms), seq: seq++, fn, cancelled: false };
        queue.push(entry);
        return () => {
          entry.cancelled = true;
        };
      },
    },
    async advance(ms) {
      const target = now + ms;
      await settle();
      for (let e = nextDue(target); e !== null; e = nextDue(target)) {
        e.cancelled = true;
        now = e.at;
        e.fn();
        await settle();
      }
      now = target;
      queue = queue.filter((e) => !e.cancelled);
    },
    pending: () => queue.filter((e) => !e.cancelled).length,
  };
}
