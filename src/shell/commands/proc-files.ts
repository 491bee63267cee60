// Reads the persona's /proc files through the VFS so free, df, mount and nproc agree with `cat`.
import type { CommandContext } from '../command.ts';
import { bytesToText } from './input.ts';

export function readProc(ctx: CommandContext, path: string): string {
  try {
    return bytesToText(ctx.fs.readFile(path));
  } catch {
    return '';
  }
}

/** /proc/meminfo values in kB by key. */
export function meminfo(ctx: CommandContext): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of readProc(ctx, '/proc/meminfo').split('\n')) {
    const match = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (match) values.set(match[1] ?? '', Number(match[2]));
  }
  return values;
}

export interface MountEntry {
  readonly device: string;
  readonly dir: string;
  readonly type: string;
  readonly options: string;
}

export function mounts(ctx: CommandContext): MountEntry[] {
  return readProc(ctx, '/proc/mounts')
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields.length >= 4)
    .map(([device = '', dir = '', type = '', options = '']) => ({ device, dir, type, options }));
}
