// ls [-1aAdlnFpr] [FILE]...: BusyBox's listing, `ls -l` with owner names from the persona's
// /etc/passwd and /etc/group. One name per line (the context does not say whether stdout is a tty).
import type { FsNode } from '../../core/persona.ts';
import type { Command } from '../command.ts';
import { absolute } from './file-ops.ts';
import { parseOptions } from './getopt.ts';
import { modeString } from './mode.ts';
import { optionError, showHelp, wantsHelp } from './usage.ts';
import { childPath } from '../vfs/vfs-path.ts';
import { columnate, formatListDate, idNames } from './ls-format.ts';

const usage = `ls [-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...

List directory contents

\t-1\tOne column output
\t-a\tInclude names starting with .
\t-A\tLike -a, but exclude . and ..
\t-d\tList directory names, not contents
\t-R\tRecurse
\t-p\tAppend / to directory names
\t-F\tAppend indicator (one of */=@|) to names
\t-l\tLong format
\t-n\tList numeric UIDs and GIDs instead of names
\t-r\tReverse sort order`;

interface Item {
  readonly name: string;
  readonly path: string;
  readonly node: FsNode;
}

const deviceNumbers: Readonly<Record<string, string>> = { null: '   1,   3', zero: '   1,   5', random: '   1,   8', tty: '   5,   0' };

function blocks(node: FsNode): number {
  if (node.kind === 'file') return Math.ceil(node.data.length / 4096) * 4;
  return node.kind === 'dir' ? 4 : 0;
}

export const ls: Command = (ctx) => {
  if (wantsHelp(ctx)) return showHelp(ctx, usage);
  const parsed = parseOptions(ctx.argv.slice(1), '1aACxdLHRFplinshrSXvctuew:');
  if (!parsed.ok) return optionError(ctx, 'ls', parsed.message, usage);
  const { flags, operands } = parsed.options;
  const long = flags.has('l') || flags.has('n');
  const names = flags.has('n') ? null : idNames(ctx);
  const lines: string[] = [];
  let status = 0;

  const decorate = (item: Item): string => {
    const { node } = item;
    if (flags.has('F')) return item.name + (node.kind === 'dir' ? '/' : node.kind === 'symlink' ? '@' : node.kind === 'file' && node.mode & 0o111 ? '*' : '');
    return item.name + (flags.has('p') && node.kind === 'dir' ? '/' : '');
  };
  const format = (item: Item): string => {
    if (!long) return decorate(item);
    const { node } = item;
    const mode = node.kind === 'symlink' ? 0o777 : node.mode;
    const uid = 'uid' in node ? node.uid : 0;
    const gid = 'gid' in node ? node.gid : 0;
    const size = node.kind === 'device' ? (deviceNumbers[node.device] ?? '   0,   0') : String(node.kind === 'file' ? node.data.length : node.kind === 'symlink' ? node.target.length : 4096).padStart(9);
    const owner = (names?.users.get(uid) ?? String(uid)).padEnd(8).slice(0, 8);
    const group = (names?.groups.get(gid) ?? String(gid)).padEnd(8).slice(0, 8);
    const target = node.kind === 'symlink' ? ` -> ${node.target}` : '';
    return `${modeString(node.kind, mode)} ${String(node.kind === 'dir' ? 2 : 1).padStart(4)} ${owner} ${group} ${size} ${formatListDate(node.mtime, ctx.clock.now())} ${decorate(item)}${target}`;
  };
  const sortItems = (items: Item[]): Item[] => {
    items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return flags.has('r') ? items.reverse() : items;
  };
  // On a terminal, short listings are in columns, as BusyBox prints them; piped, one per line.
  const inColumns = ctx.stdoutIsTerminal && !long && !flags.has('1');
  const pushItems = (items: readonly Item[]): void => {
    if (inColumns) lines.push(...columnate(items.map(format)));
    else for (const item of items) lines.push(format(item));
  };
  const listDir = (path: string, header: string | null): void => {
    const items: Item[] = [];
    if (flags.has('a')) {
      const self = ctx.fs.stat(path);
      const parent = ctx.fs.stat(childPath(path, '..'));
      if (self) items.push({ name: '.', path, node: self });
      if (parent) items.push({ name: '..', path, node: parent });
    }
    for (const entry of ctx.fs.readdir(path)) {
      if (entry.name.startsWith('.') && !flags.has('a') && !flags.has('A')) continue;
      items.push({ name: entry.name, path: childPath(path, entry.name), node: entry.node });
    }
    if (header !== null) lines.push(`${lines.length > 0 ? '\n' : ''}${header}:`);
    if (long) lines.push(`total ${items.reduce((sum, item) => sum + blocks(item.node), 0)}`);
    const sorted = sortItems(items);
    pushItems(sorted);
    if (flags.has('R')) {
      for (const item of sorted) {
        if (item.node.kind === 'dir' && item.name !== '.' && item.name !== '..') listDir(item.path, `${header ?? '.'}/${item.name}`.replace(/^\.\/\//, '/'));
      }
    }
  };

  const targets = operands.length > 0 ? operands : ['.'];
  const files: Item[] = [];
  const dirs: Item[] = [];
  for (const name of targets) {
    const path = absolute(ctx, name);
    const node = long ? ctx.fs.lstat(path) : ctx.fs.stat(path);
    if (node === null) {
      ctx.stderr.write(`ls: ${name}: No such file or directory\n`);
      status = 1;
      continue;
    }
    const followed = node.kind === 'symlink' ? ctx.fs.stat(path) : node;
    if (flags.has('d') || followed?.kind !== 'dir' || (long && node.kind === 'symlink')) files.push({ name, path, node });
    else dirs.push({ name, path, node });
  }
  pushItems(sortItems(files));
  const showHeaders = targets.length > 1 || flags.has('R');
  for (const dir of sortItems(dirs)) {
    if (lines.length > 0 && !showHeaders) lines.push('');
    listDir(dir.path, showHeaders ? dir.name : null);
  }
  if (lines.length > 0) ctx.stdout.write(`${lines.join('\n')}\n`);
  return status;
};
