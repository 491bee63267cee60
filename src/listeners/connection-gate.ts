// Counts open connections per source address and in total, so one address (or a flood) cannot
// take every session slot. One gate is shared by all listeners of a process.
import type { LimitName } from '../core/events.ts';

export interface ConnectionGate {
  /** Takes a slot for `source`, or names the limit that refuses it. */
  acquire(source: string): { ok: true } | { ok: false; limit: LimitName; max: number };
  release(source: string): void;
  open(): number;
}

export function createConnectionGate(limits: { perSource: number; total: number }): ConnectionGate {
  const perSource = new Map<string, number>();
  let total = 0;
  return {
    acquire(source) {
      if (total >= limits.total) return { ok: false, limit: 'connections-total', max: limits.total };
      const current = perSource.get(source) ?? 0;
      if (current >= limits.perSource) return { ok: false, limit: 'connections-per-source', max: limits.perSource };
      perSource.set(source, current + 1);
      total += 1;
      return { ok: true };
    },
    release(source) {
      const current = perSource.get(source);
      if (current === undefined) return;
      if (current <= 1) perSource.delete(source);
      else perSource.set(source, current - 1);
      total -= 1;
    },
    open: () => total,
  };
}
