// Typed reads of node:sqlite result rows: a column of the wrong type is a store bug, reported loudly.
import type { SQLOutputValue } from 'node:sqlite';

export type Row = Readonly<Record<string, SQLOutputValue>>;

export function text(row: Row, column: string): string {
  const v = row[column];
  if (typeof v !== 'string') throw new TypeError(`column ${column}: expected text, got ${v === null ? 'null' : typeof v}`);
  return v;
}

export function int(row: Row, column: string): number {
  const v = row[column];
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'number') throw new TypeError(`column ${column}: expected a number, got ${v === null ? 'null' : typeof v}`);
  return v;
}

export function textOrNull(row: Row, column: string): string | null {
  return row[column] === null || row[column] === undefined ? null : text(row, column);
}

export function intOrNull(row: Row, column: string): number | null {
  return row[column] === null || row[column] === undefined ? null : int(row, column);
}

/** A JSON array column built with json_group_array, as strings. */
export function textList(row: Row, column: string): string[] {
  const parsed: unknown = JSON.parse(text(row, column));
  return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
}
