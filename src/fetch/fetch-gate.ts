// Concurrency for outgoing fetches: at most N at once overall and M per host, with a bounded wait
// queue (overall and per host) and a bound on the wait itself. A fetch whose host has room starts
// at once, even while fetches for a busy host wait: one slow host must not hold up the others.

export interface FetchGateOptions {
  readonly maxConcurrent: number;
  readonly maxPerHost: number;
  readonly maxQueued: number;
  /** Fetches waiting for one host; a slowloris host cannot fill the whole queue. */
  readonly maxQueuedPerHost: number;
  /** Longest a fetch waits for a slot before it is given up. */
  readonly maxWaitMs: number;
}

/** Why a fetch did not run: no room to wait, waited too long, or the gate closed. */
export type GateRefusal = 'queue-full' | 'queue-timeout' | 'closed';

export interface FetchGate {
  /** Runs `task` when a slot for `host` is free, or says why it never ran. Never blocks the caller. */
  run<T>(host: string, task: () => Promise<T>): Promise<{ readonly ran: true; readonly value: T } | { readonly ran: false; readonly why: GateRefusal }>;
  /** Refuses every waiting fetch ('closed') and every later one. */
  close(): void;
  stats(): { readonly running: number; readonly queued: number; readonly refused: number };
}

interface Waiter {
  readonly host: string;
  readonly start: () => void;
  readonly give: (why: GateRefusal) => void;
  readonly timer: NodeJS.Timeout;
}

export function createFetchGate(options: FetchGateOptions): FetchGate {
  const perHost = new Map<string, number>();
  const waitingPerHost = new Map<string, number>();
  const queue: Waiter[] = [];
  let running = 0;
  let refused = 0;
  let closed = false;

  const canStart = (host: string): boolean => running < options.maxConcurrent && (perHost.get(host) ?? 0) < options.maxPerHost;
  const count = (map: Map<string, number>, host: string, delta: number): void => {
    const next = (map.get(host) ?? 0) + delta;
    if (next <= 0) map.delete(host);
    else map.set(host, next);
  };
  const leave = (waiter: Waiter): boolean => {
    const at = queue.indexOf(waiter);
    if (at < 0) return false;
    queue.splice(at, 1);
    count(waitingPerHost, waiter.host, -1);
    clearTimeout(waiter.timer);
    return true;
  };
  const release = (host: string): void => {
    running -= 1;
    count(perHost, host, -1);
    // The first waiter whose host has room goes next; others keep their place.
    for (const waiter of [...queue]) {
      if (running >= options.maxConcurrent) break;
      if (canStart(waiter.host) && leave(waiter)) waiter.start();
    }
  };

  return {
    run<T>(host: string, task: () => Promise<T>) {
      type Result = { readonly ran: true; readonly value: T } | { readonly ran: false; readonly why: GateRefusal };
      const launch = async (): Promise<Result> => {
        running += 1;
        count(perHost, host, 1);
        try {
          return { ran: true, value: await task() };
        } finally {
          release(host);
        }
      };
      if (closed) return Promise.resolve({ ran: false, why: 'closed' });
      if (canStart(host)) return launch();
      if (queue.length >= options.maxQueued || (waitingPerHost.get(host) ?? 0) >= options.maxQueuedPerHost) {
        refused += 1;
        return Promise.resolve({ ran: false, why: 'queue-full' });
      }
      return new Promise<Result>((resolve, reject) => {
        const waiter: Waiter = {
          host,
          start: () => void launch().then(resolve, reject),
          give: (why) => {
            if (leave(waiter)) resolve({ ran: false, why });
          },
          timer: setTimeout(() => waiter.give('queue-timeout'), options.maxWaitMs),
        };
        waiter.timer.unref();
        queue.push(waiter);
        count(waitingPerHost, host, 1);
      });
    },
    close() {
      closed = true;
      for (const waiter of [...queue]) waiter.give('closed');
    },
    stats: () => ({ running, queued: queue.length, refused }),
  };
}
