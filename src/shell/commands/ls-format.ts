// Pieces of `ls -l` that depend on the device: user and group names from its /etc files, and
// BusyBox's date column ("Jan  2 03:04" within six months, "Jan  2  2019" otherwise; UTC).
import type { CommandContext } from '../command.ts';
import { bytesToText } from './input.ts';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Parses `name:x:id:...` lines (passwd and group share the first three fields). */
function readIds(ctx: CommandContext, path: string): Map<number, string> {
  const names = new Map<number, string>();
  let text = '';
  try {
    text = bytesToText(ctx.fs.readFile(path));
  } catch {
    return names;
  }
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name && id !== undefined && /^\d+$/.test(id) && !names.has(Number(id))) names.set(Number(id), name);
  }
  return names;
}

export function idNames(ctx: CommandContext): { users: Map<number, string>; groups: Map<number, string> } {
  return { users: readIds(ctx, '/etc/passwd'), groups: readIds(ctx, '/etc/group') };
}

/** `mtimeMs` and `nowMs` are milliseconds since the epoch. */
export function formatListDate(mtimeMs: number, nowMs: number): string {
  const date = new Date(mtimeMs);
  const day = String(date.getUTCDate()).padStart(2);
  const month = months[date.getUTCMonth()] ?? 'Jan';
  const ageSeconds = (nowMs - mtimeMs) / 1000;
  if (ageSeconds < (3600 * 24 * 365) / 2 && ageSeconds > -15 * 60) {
    const time = `${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
    return `${month} ${day} ${time}`;
  }
  return `${month} ${day}  ${date.getUTCFullYear()}`;
}

/**
 * Names in columns as BusyBox ls prints them on a terminal: column width is the longest name + 2,
 * as many columns as fit in width - 1 (BusyBox keeps one column free), filled top to bottom.
 */
export function columnate(names: readonly string[], terminalWidth = 80): string[] {
  if (names.length === 0) return [];
  const columnWidth = Math.max(...names.map((n) => n.length)) + 2;
  const ncols = Math.max(1, Math.floor((terminalWidth - 1) / columnWidth));
  const nrows = Math.ceil(names.length / ncols);
  const rows: string[] = [];
  for (let row = 0; row < nrows; row++) {
    let line = '';
    for (let col = 0; col < ncols; col++) {
      const name = names[col * nrows + row];
      if (name === undefined) continue;
      if (line.length > 0) line = line.padEnd(col * columnWidth);
      line += name;
    }
    rows.push(line);
  }
  return rows;
}
