// Counts for head and tail: `N`, `-N` (all but N), `+N` (from N), with b/k/m multipliers.

export interface Count {
  readonly value: number;
  /** `-N`: all but the last N (head). */
  readonly allBut: boolean;
  /** `+N`: starting from the Nth (tail). */
  readonly fromStart: boolean;
}

const multipliers: Readonly<Record<string, number>> = { '': 1, b: 512, k: 1024, m: 1024 * 1024 };

export function parseCount(text: string): Count | null {
  const match = /^([+-]?)(\d+)([bkm]?)$/.exec(text);
  if (!match) return null;
  const value = Number(match[2]) * (multipliers[match[3] ?? ''] ?? 1);
  return { value, allBut: match[1] === '-', fromStart: match[1] === '+' };
}
