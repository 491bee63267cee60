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
