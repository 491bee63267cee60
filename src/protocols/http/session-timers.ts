// The timers of one HTTP session: idle (reset by input), total length, and the header timeout that
// ends slowloris clients (a request head must be complete within N ms of its first byte).

export interface SessionTimers {
  /** Input arrived: the idle timer starts over. */
  activity(): void;
  /** A request head has begun; the header timer starts unless it already runs. */
  headerStarted(): void;
  /** The head is complete. */
  headerDone(): void;
  clear(): void;
}

export interface TimerLimits {
  readonly idleTimeoutMs: number;
  readonly maxSessionMs: number;
  readonly headerTimeoutMs: number;
}

const enabled = (ms: number): boolean => ms > 0 && Number.isFinite(ms);

export function createSessionTimers(limits: TimerLimits, on: { idle(): void; maxDuration(): void; header(): void }): SessionTimers {
  // Unref'd: the stream keeps the process alive, a session timer alone should not.
  const idle = enabled(limits.idleTimeoutMs) ? setTimeout(on.idle, limits.idleTimeoutMs).unref() : null;
  const total = enabled(limits.maxSessionMs) ? setTimeout(on.maxDuration, limits.maxSessionMs).unref() : null;
  let header: NodeJS.Timeout | null = null;
  return {
    activity() {
      idle?.refresh();
    },
    headerStarted() {
      if (header === null && enabled(limits.headerTimeoutMs)) header = setTimeout(on.header, limits.headerTimeoutMs).unref();
    },
    headerDone() {
      if (header !== null) clearTimeout(header);
      header = null;
    },
    clear() {
      if (idle) clearTimeout(idle);
      if (total) clearTimeout(total);
      if (header !== null) clearTimeout(header);
      header = null;
    },
  };
}
