// ln [-sfn] TARGET... LINK|DIR: symlinks; a hard link is a copy (the VFS has no shared inodes).
import type { Command } from '../command.ts';
import { absolute, lastComponent } from './file-ops.ts';
import { parseOptions } from './getopt.ts';
import { errorText, optionError, showHelp, showUsage, wantsHelp } from './usage.ts';
import { childPath } from '../vfs/vfs-path.ts';

const usage = `ln [-sfnbtv] [-S SUF] TARGET... LINK|DIR

Create a link LINK or DIR/TARGET to the specified TARGET(s)

\t-s\tMake symlinks instead of hardlinks
\t-f\tRemove existing destinations
\t-n\tDon't dereference symlinks - treat like normal file
\t-b\tMake a backup of the target (if exists) before link operation
\t-S SUF\tUse suffix instead of ~ when making backup files
\t-T\tTreat LINK as a file, not DIR
\t-v\tVerbose`;

export const ln: Command = (ctx) => {
  if (wantsHelp(ctx)) return showHelp(ctx, usage);
  const parsed = parseOptions(ctx.argv.slice(1), 'sfnbtvTS:');
  if (!parsed.ok) return optionError(ctx, 'ln', parsed.message, usage);
  const { flags, operands } = parsed.options;
  if (operands.length === 0) return showUsage(ctx, usage);
  if (operands.length === 1) operands.push(lastComponent(operands[0] ?? ''));
  const linkName = operands.pop() ?? '';
  const linkPath = absolute(ctx, linkName);
  const intoDir = !flags.has('T') && (flags.has('n') ? ctx.fs.lstat(linkPath) : ctx.fs.stat(linkPath))?.kind === 'dir';
  let status = 0;
  for (const target of operands) {
    const path = intoDir || operands.length > 1 ? childPath(linkPath, lastComponent(target)) : linkPath;
    const shown = intoDir || operands.length > 1 ? `${linkName}/${lastComponent(target)}` : linkName;
    try {
      const existing = ctx.fs.lstat(path);
      if (existing !== null) {
        if (!flags.has('f')) {
          ctx.stderr.write(`ln: ${shown}: File exists\n`);
          status = 1;
          continue;
        }
        if (existing.kind !== 'dir') ctx.fs.unlink(path);
      }
      if (flags.has('s')) ctx.fs.symlink(target, path);
      else {
        const source = absolute(ctx, target);
        const node = ctx.fs.stat(source);
        if (node === null || node.kind !== 'file') {
          ctx.stderr.write(node === null ? `ln: ${target}: No such file or directory\n` : `ln: ${shown}: Operation not permitted\n`);
          status = 1;
          continue;
        }
        ctx.fs.writeFile(path, node.data, { mode: node.mode });
      }
    } catch (error) {
      ctx.stderr.write(`ln: ${shown}: ${errorText(error)}\n`);
      status = 1;
    }
  }
  return status;
};
