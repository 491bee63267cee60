// Per-device budget of device.egress events. A device running a scanner opens thousands of flows a
// second: the first `perWindow` in each window are recorded one by one (with a conntrack lookup),
// the rest are only counted and reported as one summary per device and protocol when the window ends.
import type { Endpoint } from '../core/events.ts';

export interface EgressAttempt {
  readonly device: string;
  readonly protocol: 'tcp' | 'udp';
  readonly src: Endpoint;
  readonly bytes: number;
  readonly preview: string;
  readonly dnsName: string | null;
}

/** Attempts past the budget: how many, their bytes, and the first of them as a sample. */
export interface EgressSummary {
  readonly device: string;
  readonly protocol: 'tcp' | 'udp';
  readonly count: number;
  readonly bytes: number;
  readonly first: EgressAttempt;
  readonly windowMs: number;
}

export interface EgressRate {
  /** True when this attempt of `device` is recorded on its own; false when it must be folded. */
  take(device: string, now: number): boolean;
  /** Counts an attempt that `take` refused into its device's summary. */
  fold(attempt: EgressAttempt): void;
  /** Summaries whose window has ended by `now` (every summary when `all`), removed once returned. */
  drain(now: number, all?: boolean): EgressSummary[];
}

interface Window {
  start: number;
  used: number;
}

interface Pending {
  readonly start: number;
  count: number;
  bytes: number;
  readonly first: EgressAttempt;
}

export function createEgressRate(options: { readonly perWindow: number; readonly windowMs: number }): EgressRate {
  // Keys are configured device names (and 'unknown'), so both maps stay as small as the device list.
  const windows = new Map<string, Window>();
  const pending = new Map<string, Pending>();
  return {
    take(device, now) {
      let w = windows.get(device);
      if (!w || now - w.start >= options.windowMs) {
        w = { start: now, used: 0 };
        windows.set(device, w);
      }
      if (w.used >= options.perWindow) return false;
      w.used += 1;
      return true;
    },
    fold(attempt) {
      const key = `${attempt.device}\n${attempt.protocol}`;
      const p = pending.get(key);
      if (p) {
        p.count += 1;
        p.bytes += attempt.bytes;
      } else {
        pending.set(key, { start: windows.get(attempt.device)?.start ?? 0, count: 1, bytes: attempt.bytes, first: attempt });
      }
    },
    drain(now, all = false) {
      const out: EgressSummary[] = [];
      for (const [key, p] of pending) {
        if (!all && now - p.start < options.windowMs) continue;
        pending.delete(key);
        out.push({ device: p.first.device, protocol: p.first.protocol, count: p.count, bytes: p.bytes, first: p.first, windowMs: options.windowMs });
      }
      return out;
    },
  };
}
