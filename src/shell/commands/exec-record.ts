// Records an attempt to run a file (`sh x`): captures it if the attacker wrote it and emits
// exec.attempt with its hash and size.
import { createHash } from 'node:crypto';
import type { CommandContext } from '../command.ts';

export function recordExec(ctx: CommandContext, path: string, argv: readonly string[]): void {
  const node = ctx.fs.stat(path);
  if (node?.kind !== 'file') {
    ctx.events.emit('exec.attempt', { path, argv, sha256: null, size: null });
    return;
  }
  const sha256 = ctx.fs.isDirty(path) ? ctx.capture.capture(path, node.data, 'exec') : createHash('sha256').update(node.data).digest('hex');
  ctx.events.emit('exec.attempt', { path, argv, sha256, size: node.data.length });
}
