// chmod [-R] MODE FILE...: octal or symbolic modes; bots run `chmod 777 x` / `chmod +x x`.
import type { Command, CommandContext } from '../command.ts';
import { absolute } from './file-ops.ts';
import { parseMode } from './mode.ts';
import { errorText, showHelp, showUsage, wantsHelp } from './usage.ts';
import { childPath } from '../vfs/vfs-path.ts';

const usage = `chmod [-Rcvf] MODE[,MODE]... FILE...

MODE is octal number (bit pattern sstrwxrwxrwx) or [ugoa]{+|-|=}[rwxXst]

\t-R\tRecurse
\t-c\tList changed files
\t-v\tVerbose
\t-f\tHide errors`;

function apply(ctx: CommandContext, path: string, shown: string, modeText: string, recurse: boolean, quiet: boolean): number {
  const node = ctx.fs.stat(path);
  if (node === null) {
    if (!quiet) ctx.stderr.write(`chmod: ${shown}: No such file or directory\n`);
    return 1;
  }
  const current = node.kind === 'symlink' ? 0o777 : node.mode;
  const mode = parseMode(modeText, current, node.kind === 'dir');
  if (mode === null) {
    ctx.stderr.write(`chmod: invalid mode '${modeText}'\n`);
    return 1;
  }
  try {
    ctx.fs.chmod(path, mode);
  } catch (error) {
    if (!quiet) ctx.stderr.write(`chmod: ${shown}: ${errorText(error)}\n`);
    return 1;
  }
  let status = 0;
  if (recurse && node.kind === 'dir') {
    for (const entry of ctx.fs.readdir(path)) {
      if (entry.node.kind === 'symlink') continue;
      status |= apply(ctx, childPath(path, entry.name), `${shown}/${entry.name}`, modeText, true, quiet);
    }
  }
  return status;
}

export const chmod: Command = (ctx) => {
  if (wantsHelp(ctx)) return showHelp(ctx, usage);
  const args = ctx.argv.slice(1);
  const flags = new Set<string>();
  // Options come first; a mode such as `-x` or `-w` is not an option (as in BusyBox).
  while (args.length > 0 && /^-[Rcvf]+$/.test(args[0] ?? '')) for (const letter of (args.shift() ?? '').slice(1)) flags.add(letter);
  if (args[0] === '--') args.shift();
  const [modeText, ...files] = args;
  if (modeText === undefined || files.length === 0) return showUsage(ctx, usage);
  if (parseMode(modeText, 0) === null) {
    ctx.stderr.write(`chmod: invalid mode '${modeText}'\n`);
    return 1;
  }
  let status = 0;
  for (const file of files) status |= apply(ctx, absolute(ctx, file), file, modeText, flags.has('R'), flags.has('f'));
  return status;
};
