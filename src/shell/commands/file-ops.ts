// VFS steps shared by the file applets: resolving operands against the cwd, capturing a dropped
// file before it is deleted or overwritten, and concatenating output chunks.
import type { CommandContext } from '../command.ts';
import type { CaptureReason } from '../../core/ports.ts';
import type { ParsedOptions } from './getopt.ts';

export function absolute(ctx: CommandContext, path: string): string {
  return ctx.fs.resolve(ctx.state.cwd, path);
}

/** Keeps what the attacker wrote before it disappears (rm, mv/cp over it). */
export function captureIfDirty(ctx: CommandContext, path: string, reason: CaptureReason): void {
  if (!ctx.fs.isDirty(path)) return;
  const node = ctx.fs.stat(path);
  if (node?.kind === 'file') ctx.capture.capture(path, node.data, reason);
}

/** The `SOURCE... DEST` / `-t DIR SOURCE...` operands of cp and mv; null when there are too few. */
export function sourcesAndDestination(ctx: CommandContext, options: ParsedOptions): { sources: string[]; dest: string; destPath: string; destIsDir: boolean } | null {
  const operands = [...options.operands];
  const targetDir = options.values.get('t');
  if (targetDir !== undefined) operands.push(targetDir);
  if (operands.length < 2) return null;
  const dest = operands.pop() ?? '';
  const destPath = absolute(ctx, dest);
  return { sources: operands, dest, destPath, destIsDir: ctx.fs.stat(destPath)?.kind === 'dir' && !options.flags.has('T') };
}

export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const chunk of chunks) size += chunk.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Last path component, ignoring trailing slashes (`a/b/` → `b`). */
export function lastComponent(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || '/';
}
