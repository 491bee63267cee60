// Concurrency for outgoing fetches: at most N at once overall and M per host, with a bounded wait
// queue. A full queue refuses at once: a fetch must never make a session wait for a slot.

export interface FetchGateOptions {
  readonly maxConcurrent: number;
  readonly maxPerHost: number;
  readonly maxQueued: number;
}

export interface FetchGate {
  /** Runs `task` when a slot for `host` is free; null when the queue is full (nothing ran). */
  run<T>(host: string, task: () => Promise<T>): Promise<T> | null;
  stats(): { readonly running: number; readonly queued: number; readonly refused: number };
}

interface Waiter {
  readonly host: string;
  readonly start: () => void;
}

export function createFetchGate(options: FetchGateOptions): FetchGate {
  const perHost = new Map<string, number>();
  const queue: Waiter[] = [];
  let running = 0;
  let refused = 0;

  const canStart = (host: string): boolean => running < options.maxConcurrent && (perHost.get(host) ?? 0) < options.maxPerHost;
  const acquire = (host: string): void => {
    running += 1;
    perHost.set(host, (perHost.get(host) ?? 0) + 1);
  };
  const release = (host: string): void => {
    running -= 1;
    const left = (perHost.get(host) ?? 1) - 1;
    if (left === 0) perHost.delete(host);
    else perHost.set(host, left);
    // The first waiter whose host has room goes next; others keep their place.
    for (let i = 0; i < queue.length && running < options.maxConcurrent; i++) {
      const waiter = queue[i]!;
      if (!canStart(waiter.host)) continue;
      queue.splice(i, 1);
      i -= 1;
      acquire(waiter.host);
      waiter.start();
    }
  };

  return {
    run<T>(host: string, task: () => Promise<T>): Promise<T> | null {
      const launch = (): Promise<T> => task().finally(() => release(host));
      if (queue.length === 0 && canStart(host)) {
        acquire(host);
        return launch();
      }
      if (queue.length >= options.maxQueued) {
        refused += 1;
        return null;
      }
      return new Promise<T>((resolve, reject) => {
        queue.push({ host, start: () => void launch().then(resolve, reject) });
      });
    },
    stats: () => ({ running, queued: queue.length, refused }),
  };
}
