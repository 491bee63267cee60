// Periodic health probes of a real device: reports only when it goes up or down (the first result
// counts), never runs two probes at once, and gives up on a probe that hangs. Plus the default probe.
import { connect as netConnect, type Socket } from 'node:net';

export interface ProbeResult {
  readonly up: boolean;
  /** Time to answer when up; null when down. */
  readonly latencyMs: number | null;
  readonly detail: string;
}

export type Probe = () => Promise<ProbeResult>;

export interface HealthState extends ProbeResult {
  readonly checkedAt: number;
}

/** One-shot timers; injected so tests move time by hand. */
export interface Timers {
  /** Calls fn once after ms; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

/** Real timers, unref'd: a probe or reset schedule never keeps hachi running by itself. */
export const systemTimers: Timers = {
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export interface HealthMonitorOptions {
  readonly probe: Probe;
  /** Pause between the end of one probe and the start of the next. */
  readonly intervalMs: number;
  /** A probe with no answer by then counts as down and is abandoned (its late answer ignored). */
  readonly timeoutMs: number;
  /** Called when the device goes up or down, and for the first result. */
  readonly onChange: (state: HealthState) => void;
  readonly now: () => number;
  readonly timers?: Timers;
}

export interface HealthMonitor {
  /** Probes now; while a probe runs, joins it instead of starting another. */
  check(): Promise<HealthState>;
  /** The last result, null before the first probe has answered. */
  current(): HealthState | null;
  /** No more probes or reports; a probe in flight still answers check() callers. */
  stop(): void;
}

/** Starts probing at once, then every intervalMs after each probe ends. */
export function createHealthMonitor(options: HealthMonitorOptions): HealthMonitor {
  const timers = options.timers ?? systemTimers;
  let last: HealthState | null = null;
  let inFlight: Promise<HealthState> | null = null;
  let cancelNext: (() => void) | null = null;
  let stopped = false;

  const probeWithTimeout = (): Promise<ProbeResult> =>
    new Promise((resolve) => {
      let settled = false;
      const settleWith = (result: ProbeResult): void => {
        if (settled) return;
        settled = true;
        cancelTimeout();
        resolve(result);
      };
      const cancelTimeout = timers.after(options.timeoutMs, () => settleWith({ up: false, latencyMs: null, detail: `probe gave no answer within ${options.timeoutMs} ms` }));
      // A probe that throws synchronously or rejects is a down device, not a crash.
      new Promise<ProbeResult>((res) => res(options.probe())).then(settleWith, (error: unknown) =>
        settleWith({ up: false, latencyMs: null, detail: `probe failed: ${error instanceof Error ? error.message : String(error)}` }),
      );
    });

  const check = (): Promise<HealthState> => {
    if (inFlight) return inFlight;
    cancelNext?.();
    cancelNext = null;
    inFlight = probeWithTimeout().then((result) => {
      inFlight = null;
      const state: HealthState = { up: result.up, latencyMs: result.up ? result.latencyMs : null, detail: result.detail, checkedAt: options.now() };
      const changed = last === null || last.up !== state.up;
      last = state;
      if (!stopped) {
        cancelNext = timers.after(options.intervalMs, () => {
          cancelNext = null;
          void check();
        });
        if (changed) options.onChange(state);
      }
      return state;
    });
    return inFlight;
  };

  void check();
  return {
    check,
    current: () => last,
    stop() {
      stopped = true;
      cancelNext?.();
      cancelNext = null;
    },
  };
}

export interface TcpProbeOptions {
  /** Opens the connection (tests inject a socket that never connects). */
  readonly connect?: (port: number, host: string) => Socket;
  /** A monotonic clock in milliseconds, for the latency. */
  readonly now?: () => number;
}

/** The default probe: up when the device accepts a TCP connection, which is closed at once. */
export function tcpProbe(address: string, port: number, timeoutMs: number, options: TcpProbeOptions = {}): Promise<ProbeResult> {
  const now = options.now ?? (() => performance.now());
  const open = options.connect ?? ((p: number, h: string) => netConnect({ port: p, host: h }));
  return new Promise((resolve) => {
    const started = now();
    const socket = open(port, address);
    let done = false;
    const finish = (result: ProbeResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ up: false, latencyMs: null, detail: `timeout after ${timeoutMs} ms` }), timeoutMs);
    socket.once('connect', () => finish({ up: true, latencyMs: Math.round((now() - started) * 1000) / 1000, detail: `connected to ${address}:${port}` }));
    socket.once('error', (error: NodeJS.ErrnoException) => finish({ up: false, latencyMs: null, detail: `connect ${error.code ?? error.message}` }));
  });
}
