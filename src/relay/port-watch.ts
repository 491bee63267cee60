// Compromise indicator: a device listening on a port it did not listen on before (a bot's telnetd,
// a backdoor shell). Periodic TCP connect scans of a configured port list; the configured `expected`
// ports, or else the first scan that finds the device up, are the baseline. Timers and probe injected.
import { tcpProbe, type Timers } from './device-health.ts';

/** True when a TCP connection to the port was accepted. Never rejects. */
export type PortProbe = (address: string, port: number, timeoutMs: number) => Promise<boolean>;

export interface PortWatchOptions {
  readonly address: string;
  readonly ports: readonly number[];
  /** Ports the device is meant to have open; null takes the first scan that finds any open port. */
  readonly expected: readonly number[] | null;
  /** Pause between the end of one scan and the start of the next. */
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Connection attempts at once (a real device falls over under a burst). */
  readonly concurrency: number;
  readonly timers: Timers;
  /** A port open now that is not in the baseline; called again only after it has closed in between. */
  readonly onNewPort: (port: number, open: readonly number[]) => void;
  readonly probe?: PortProbe;
}

export interface PortWatch {
  /** Scans now (joins a scan already running); returns the open ports. */
  scan(): Promise<readonly number[]>;
  /** Null until the baseline is known. */
  baseline(): readonly number[] | null;
  stop(): void;
}

export const tcpPortProbe: PortProbe = async (address, port, timeoutMs) => (await tcpProbe(address, port, timeoutMs)).up;

/** Starts scanning at once, then every intervalMs after each scan ends. */
export function createPortWatch(options: PortWatchOptions): PortWatch {
  const probe = options.probe ?? tcpPortProbe;
  const ports = [...new Set(options.ports)].sort((a, b) => a - b);
  let baseline: Set<number> | null = options.expected === null ? null : new Set(options.expected);
  const reported = new Set<number>();
  let running: Promise<readonly number[]> | null = null;
  let cancelNext: (() => void) | null = null;
  let stopped = false;

  const openPorts = async (): Promise<number[]> => {
    const open: number[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ports.length && !stopped) {
        const port = ports[next++];
        if (port !== undefined && (await probe(options.address, port, options.timeoutMs).catch(() => false))) open.push(port);
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, ports.length) }, worker));
    return open.sort((a, b) => a - b);
  };

  const judge = (open: readonly number[]): void => {
    // A scan of a device that is down finds nothing: no baseline from it, or every port would look new later.
    if (baseline === null) {
      if (open.length > 0) baseline = new Set(open);
      return;
    }
    for (const port of reported) if (!open.includes(port)) reported.delete(port);
    for (const port of open) {
      if (baseline.has(port) || reported.has(port)) continue;
      reported.add(port);
      options.onNewPort(port, open);
    }
  };

  const scan = (): Promise<readonly number[]> => {
    if (running) return running;
    cancelNext?.();
    cancelNext = null;
    const current = openPorts().then((open) => {
      if (!stopped) judge(open);
      return open;
    });
    running = current;
    void current.finally(() => {
      running = null;
      if (!stopped) cancelNext = options.timers.after(options.intervalMs, () => void scan());
    });
    return current;
  };

  void scan();
  return {
    scan,
    baseline: () => (baseline === null ? null : [...baseline].sort((a, b) => a - b)),
    stop() {
      stopped = true;
      cancelNext?.();
    },
  };
}
