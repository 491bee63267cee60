// Rate limit for compromise indicators: the same thing (device, indicator, what was seen) fires once
// per cooldown, and each device fires at most `maxPerDevice` distinct indicators per cooldown, so a
// scanning device cannot turn its thousands of destinations into thousands of indicators.

export interface IndicatorGate {
  /** True when this indicator should fire now; false when it repeats or the device's budget is spent. */
  allow(device: string, key: string, now: number): boolean;
  /** Indicators held back per device since the last call (for a log line), then reset. */
  takeSuppressed(): ReadonlyMap<string, number>;
}

export function createIndicatorGate(options: { readonly cooldownMs: number; readonly maxPerDevice: number }): IndicatorGate {
  const lastFired = new Map<string, number>();
  const budgets = new Map<string, { start: number; used: number }>();
  let suppressed = new Map<string, number>();
  const hold = (device: string): false => {
    suppressed.set(device, (suppressed.get(device) ?? 0) + 1);
    return false;
  };
  return {
    allow(device, key, now) {
      const id = `${device}\n${key}`;
      const last = lastFired.get(id);
      if (last !== undefined && now - last < options.cooldownMs) return hold(device);
      let budget = budgets.get(device);
      if (!budget || now - budget.start >= options.cooldownMs) {
        budget = { start: now, used: 0 };
        budgets.set(device, budget);
      }
      if (budget.used >= options.maxPerDevice) return hold(device);
      budget.used += 1;
      // Entries past their cooldown are dropped once their device's budget resets: memory stays at
      // about devices × maxPerDevice keys.
      if (budget.used === 1) for (const [k, at] of lastFired) if (now - at >= options.cooldownMs) lastFired.delete(k);
      lastFired.set(id, now);
      return true;
    },
    takeSuppressed() {
      const out = suppressed;
      suppressed = new Map();
      return out;
    },
  };
}
