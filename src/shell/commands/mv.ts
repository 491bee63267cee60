// mv [-fn] SOURCE... DEST: renames within the session overlay.
import type { Command } from '../command.ts';
import { absolute, captureIfDirty, lastComponent, sourcesAndDestination } from './file-ops.ts';
import { parseOptions } from './getopt.ts';
import { errorText, optionError, showHelp, showUsage, wantsHelp } from './usage.ts';
import { childPath } from '../vfs/vfs-path.ts';

const usage = `mv [-finT] SOURCE DEST
or: mv [-fin] SOURCE... { -t DIRECTORY | DIRECTORY }

Rename SOURCE to DEST, or move SOURCEs to DIRECTORY

\t-f\tDon't prompt before overwriting
\t-i\tInteractive, prompt before overwrite
\t-n\tDon't overwrite an existing file
\t-T\tRefuse to move if DEST is a directory
\t-t DIR\tMove all SOURCEs into DIR`;

export const mv: Command = (ctx) => {
  if (wantsHelp(ctx)) return showHelp(ctx, usage);
  const parsed = parseOptions(ctx.argv.slice(1), 'finTt:v');
  if (!parsed.ok) return optionError(ctx, 'mv', parsed.message, usage);
  const { flags } = parsed.options;
  const target = sourcesAndDestination(ctx, parsed.options);
  if (target === null) return showUsage(ctx, usage);
  const { sources: operands, destPath, destIsDir } = target;
  let status = 0;
  for (const source of operands) {
    const from = absolute(ctx, source);
    const to = destIsDir || operands.length > 1 ? childPath(destPath, lastComponent(source)) : destPath;
    if (ctx.fs.lstat(from) === null) {
      ctx.stderr.write(`mv: can't rename '${source}': No such file or directory\n`);
      status = 1;
      continue;
    }
    if (flags.has('n') && ctx.fs.lstat(to) !== null) continue;
    try {
      if (to !== from) captureIfDirty(ctx, to, 'overwrite');
      ctx.fs.rename(from, to);
    } catch (error) {
      ctx.stderr.write(`mv: can't rename '${source}': ${errorText(error)}\n`);
      status = 1;
    }
  }
  return status;
};
