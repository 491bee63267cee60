// Redirections against the VFS: `>` `>>` `<` `<>` heredocs and fd dups. `/dev/null` and other
// devices discard; a dirty file is captured before `>` truncates it (rm, cp, mv, dd do the same).
import type { OutputStream } from '../command.ts';
import type { Redirect } from '../parser/ast.ts';
import { VfsError, errnoText } from '../vfs/vfs.ts';
import type { ExpandHooks } from './expand.ts';
import { expandString } from './expand.ts';
import { errorPrefix, type Shell } from './runtime.ts';
import { discard, inputOf, type Fd, type Fds } from './streams.ts';
import { dataToBytes, shellToBytes } from './text-bytes.ts';

/** Returns the new fd table, or null after printing ash's message when a redirection fails. */
export async function applyRedirects(shell: Shell, hooks: ExpandHooks, redirs: readonly Redirect[], fds: Fds, stderr: OutputStream): Promise<Map<number, Fd> | null> {
  const table = new Map(fds);
  for (const redir of redirs) {
    const target = redir.heredoc ? '' : await expandString(shell, hooks, redir.target);
    const fail = (message: string): null => {
      const err = table.get(2);
      (err?.kind === 'out' ? err.out : stderr).write(`${errorPrefix(shell, null)}${message}\n`);
      return null;
    };
    switch (redir.op) {
      case '<<':
      case '<<-': {
        const body = redir.heredoc ? await expandString(shell, hooks, redir.heredoc) : '';
        table.set(redir.fd, { kind: 'in', src: inputOf(shellToBytes(body)) });
        break;
      }
      case '<':
      case '<>': {
        const opened = openInput(shell, target, redir.op === '<>');
        if (typeof opened === 'string') return fail(opened);
        table.set(redir.fd, opened);
        break;
      }
      case '>&':
      case '<&': {
        if (target === '-') {
          table.delete(redir.fd);
          break;
        }
        if (/^[0-9]+$/.test(target)) {
          const source = table.get(Number(target));
          if (source === undefined) return fail(`${target}: Bad file descriptor`);
          table.set(redir.fd, source);
          break;
        }
        if (redir.op === '<&') return fail(`${target}: Bad file descriptor`);
        // `>&file` is ash's shorthand for `>file 2>&1`.
        const out = openOutput(shell, target, false);
        if (typeof out === 'string') return fail(out);
        table.set(1, { kind: 'out', out });
        table.set(2, { kind: 'out', out });
        break;
      }
      default: {
        const out = openOutput(shell, target, redir.op === '>>');
        if (typeof out === 'string') return fail(out);
        table.set(redir.fd, { kind: 'out', out });
      }
    }
  }
  return table;
}

function openInput(shell: Shell, target: string, readWrite: boolean): Fd | string {
  const fs = shell.env.fs;
  const path = fs.resolve(shell.state.cwd, target);
  const node = fs.stat(path);
  if (node === null) {
    if (!readWrite) return `can't open ${target}: no such file`;
    const created = openOutput(shell, target, true);
    return typeof created === 'string' ? created : { kind: 'in', src: inputOf(new Uint8Array(0)) };
  }
  if (node.kind !== 'file') return { kind: 'in', src: inputOf(new Uint8Array(0)) };
  try {
    return { kind: 'in', src: inputOf(fs.readFile(path)) };
  } catch (error) {
    if (error instanceof VfsError) return `can't open ${target}: ${errnoText[error.errno]}`;
    throw error;
  }
}

/** Opens a file for output: truncates or appends, then writes each chunk as it comes. */
export function openOutput(shell: Shell, target: string, append: boolean): OutputStream | string {
  const { fs, capture } = shell.env;
  const path = fs.resolve(shell.state.cwd, target);
  const node = fs.stat(path);
  if (node?.kind === 'device' || path === '/dev/null') return discard;
  if (node?.kind === 'dir') return `can't create ${target}: Is a directory`;
  if (node === null) {
    const parent = fs.stat(path.slice(0, path.lastIndexOf('/')) || '/');
    if (parent === null) return `can't create ${target}: nonexistent directory`;
    if (parent.kind !== 'dir') return `can't create ${target}: Not a directory`;
  }
  try {
    // The bytes `>` is about to truncate may be a dropper's work: keep them first.
    if (node?.kind === 'file' && !append && fs.isDirty(path)) capture.capture(path, node.data, 'overwrite');
    if (node === null || !append) fs.writeFile(path, new Uint8Array(0), { append: false, mode: 0o666 & ~shell.umask });
  } catch (error) {
    if (error instanceof VfsError) return `can't create ${target}: ${errnoText[error.errno]}`;
    throw error;
  }
  let failed = false;
  return {
    write(data: string | Uint8Array): void {
      if (failed) return;
      const bytes = dataToBytes(data);
      if (bytes.length === 0) return;
      try {
        fs.writeFile(path, bytes, { append: true });
      } catch (error) {
        // A full or oversized file stops taking bytes, as a write error would on the device.
        if (!(error instanceof VfsError)) throw error;
        failed = true;
      }
    },
  };
}
