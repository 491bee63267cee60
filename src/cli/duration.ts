// Durations typed on the command line ("30d", "12h", "15m", "90s") as milliseconds; report periods
// and --since filters use them.
import { HachiError } from '../core/errors.ts';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseDuration(text: string): number {
  const match = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (!match) throw new HachiError('HACHI_ERR_USAGE', `expected a duration like 30d, 12h, 15m or 90s, got ${JSON.stringify(text.slice(0, 40))}`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}
