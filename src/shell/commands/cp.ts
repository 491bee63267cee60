// cp [-rRfpa] SOURCE... DEST: copies within the session overlay (the dropper's `cp /bin/echo x`).
import type { Command, CommandContext } from '../command.ts';
import { absolute, captureIfDirty, lastComponent, sourcesAndDestination } from './file-ops.ts';
import { parseOptions } from './getopt.ts';
import { errnoOf, errorText, optionError, showHelp, showUsage, wantsHelp } from './usage.ts';
import { childPath } from '../vfs/vfs-path.ts';

const usage = `cp [-arPLHpfinlsTu] SOURCE DEST
or: cp [-arPLHpfinlsu] SOURCE... { -t DIRECTORY | DIRECTORY }

Copy SOURCEs to DEST

\t-a\tSame as -dpR
\t-R,-r\tRecurse
\t-d,-P\tPreserve symlinks (default if -R)
\t-L\tFollow all symlinks
\t-H\tFollow symlinks on command line
\t-p\tPreserve file attributes if possible
\t-f\tOverwrite
\t-i\tPrompt before overwrite
\t-n\tDon't overwrite
\t-l,-s\tCreate (sym)links
\t-T\tRefuse to copy if DEST is a directory
\t-t DIR\tCopy all SOURCEs into DIR
\t-u\tCopy only newer files`;

function copy(ctx: CommandContext, from: string, to: string, shownFrom: string, shownTo: string, recurse: boolean, noClobber: boolean): number {
  const node = ctx.fs.stat(from);
  if (node === null) {
    ctx.stderr.write(`cp: can't stat '${shownFrom}': No such file or directory\n`);
    return 1;
  }
  if (node.kind === 'dir') {
    if (!recurse) {
      ctx.stderr.write(`cp: omitting directory '${shownFrom}'\n`);
      return 1;
    }
    if (ctx.fs.stat(to)?.kind !== 'dir') {
      try {
        ctx.fs.mkdir(to, { mode: node.mode });
      } catch (error) {
        ctx.stderr.write(`cp: can't create directory '${shownTo}': ${errorText(error)}\n`);
        return 1;
      }
    }
    let status = 0;
    for (const entry of ctx.fs.readdir(from)) {
      status |= copy(ctx, childPath(from, entry.name), childPath(to, entry.name), `${shownFrom}/${entry.name}`, `${shownTo}/${entry.name}`, true, noClobber);
    }
    return status;
  }
  if (noClobber && ctx.fs.lstat(to) !== null) return 0;
  try {
    const data = ctx.fs.readFile(from);
    captureIfDirty(ctx, to, 'overwrite');
    ctx.fs.writeFile(to, data, { mode: node.kind === 'file' ? node.mode : 0o644 });
    if (node.kind === 'file') ctx.fs.chmod(to, node.mode);
  } catch (error) {
    const errno = errnoOf(error);
    const verb = errno === 'EFBIG' || errno === 'ENOSPC' ? 'write error' : `can't create '${shownTo}'`;
    ctx.stderr.write(`cp: ${verb}: ${errorText(error)}\n`);
    return 1;
  }
  return 0;
}

export const cp: Command = (ctx) => {
  if (wantsHelp(ctx)) return showHelp(ctx, usage);
  const parsed = parseOptions(ctx.argv.slice(1), 'arRPLHpfinlsTut:dv');
  if (!parsed.ok) return optionError(ctx, 'cp', parsed.message, usage);
  const { flags } = parsed.options;
  const target = sourcesAndDestination(ctx, parsed.options);
  if (target === null) return showUsage(ctx, usage);
  const { sources: operands, dest, destPath, destIsDir } = target;
  const recurse = flags.has('r') || flags.has('R') || flags.has('a');
  let status = 0;
  for (const source of operands) {
    const to = destIsDir || operands.length > 1 ? childPath(destPath, lastComponent(source)) : destPath;
    const shownTo = destIsDir || operands.length > 1 ? `${dest.replace(/\/+$/, '')}/${lastComponent(source)}` : dest;
    status |= copy(ctx, absolute(ctx, source), to, source, shownTo, recurse, flags.has('n'));
  }
  return status;
};
