// VFS steps shared by the file applets: resolving operands against the cwd, capturing a dropped
// file before it is deleted or overwritten, and concatenating output chunks.
import type { CommandContext } from '../command.ts';
import type { CaptureReason } from '../../core/ports.ts';

export function absolute(ctx: CommandContext, path: string): string {
  return ctx.fs.resolve(ctx.state.cwd, path);
}

/** Keeps what the attacker wrote before it disappears (rm, mv/cp over it). */
export function captureIfDirty(ctx: CommandContext, path: string, reason: CaptureReason): void {
  if (!ctx.fs.isDirty(path)) return;
  const node = ctx.fs.stat(path);
  if (node?.kind === 'file') ctx.capture.capture(path, node.data, reason);
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
