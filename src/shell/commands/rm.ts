// rm [-rf] FILE...: removes from the session overlay; a file the attacker dropped is captured
// before it goes (bots delete their droppers right after running them).
import type { Command, CommandContext } from '../command.ts';
import { absolute, captureIfDirty } from './file-ops.ts';
import { parseOptions } from './getopt.ts';
import { errorText, optionError, showHelp, showUsage, wantsHelp } from './usage.ts';
import { childPath } from '../vfs/vfs-path.ts';

const usage = `rm [-irf] FILE...

Remove (unlink) FILEs

\t-i\tAlways prompt before removing
\t-f\tNever prompt
\t-R,-r\tRecurse`;

function removeTree(ctx: CommandContext, path: string, shown: string): number {
  let status = 0;
  for (const entry of ctx.fs.readdir(path)) {
    const child = childPath(path, entry.name);
    if (entry.node.kind === 'dir') status |= removeTree(ctx, child, `${shown}/${entry.name}`);
    else status |= removeOne(ctx, child, `${shown}/${entry.name}`);
  }
  try {
    ctx.fs.rmdir(path);
  } catch (error) {
    ctx.stderr.write(`rm: can't remove '${shown}': ${errorText(error)}\n`);
    return 1;
  }
  return status;
}

function removeOne(ctx: CommandContext, path: string, shown: string): number {
  try {
    captureIfDirty(ctx, path, 'delete');
    ctx.fs.unlink(path);
    return 0;
  } catch (error) {
    ctx.stderr.write(`rm: can't remove '${shown}': ${errorText(error)}\n`);
    return 1;
  }
}

export const rm: Command = (ctx) => {
  if (wantsHelp(ctx)) return showHelp(ctx, usage);
  const parsed = parseOptions(ctx.argv.slice(1), 'irRfv');
  if (!parsed.ok) return optionError(ctx, 'rm', parsed.message, usage);
  const { flags, operands } = parsed.options;
  const force = flags.has('f');
  if (operands.length === 0) return force ? 0 : showUsage(ctx, usage);
  let status = 0;
  for (const name of operands) {
    const path = absolute(ctx, name);
    const node = ctx.fs.lstat(path);
    if (node === null) {
      if (!force) {
        ctx.stderr.write(`rm: can't remove '${name}': No such file or directory\n`);
        status = 1;
      }
      continue;
    }
    if (node.kind === 'dir') {
      if (!flags.has('r') && !flags.has('R')) {
        ctx.stderr.write(`rm: '${name}' is a directory\n`);
        status = 1;
        continue;
      }
      status |= removeTree(ctx, path, name.replace(/\/+$/, '') || '/');
      continue;
    }
    status |= removeOne(ctx, path, name);
  }
  return status;
};
