// Plain-text tables for terminal output; every cell is sanitised so attacker strings cannot
// move the cursor or recolour the analyst's terminal.

/** Replaces control characters (ESC, CR, BEL, ...) with visible escapes. */
export function printable(value: string): string {
  return value.replace(/[\x00-\x1f\x7f-\x9f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], maxCell = 60): string {
  const clipped = rows.map((row) => row.map((cell) => clip(printable(cell), maxCell)));
  const widths = headers.map((h, i) => Math.max(h.length, ...clipped.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), ...clipped.map(line)].join('\n');
}

function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
