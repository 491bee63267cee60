// Small formatters shared by the `hachi samples` commands: times, sizes, short hashes, verdicts,
// and a positive-integer option parser that fails with a usage error.
import { HachiError } from '../core/errors.ts';
import type { Sample } from '../storage/store.ts';

export const SHORT_SHA = 16;

export function shortSha(sha256: string): string {
  return sha256.slice(0, SHORT_SHA);
}

/** UTC, to the minute: "2025-01-31 23:59". */
export function utcMinute(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16);
}

export function utcSecond(ms: number): string {
  return `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

export function humanBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** "mirai/satori", "mirai", or "-" when no rule matched (or not analysed). */
export function verdict(s: Pick<Sample, 'family' | 'variant'>): string {
  if (s.family === null) return '-';
  return s.variant === null ? s.family : `${s.family}/${s.variant}`;
}

export function positiveInt(value: string | undefined, name: string, fallback: number, max = 1_000_000): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new HachiError('HACHI_ERR_USAGE', `${name} must be a whole number from 1 to ${max}, not ${JSON.stringify(value.slice(0, 40))}`);
  return n;
}
