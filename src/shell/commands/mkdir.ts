// mkdir [-p] [-m MODE]: creates directories in the session overlay.
import type { Command } from '../command.ts';
import { absolute } from './file-ops.ts';
import { parseOptions } from './getopt.ts';
import { parseMode } from './mode.ts';
import { errorText, optionError, showHelp, showUsage, wantsHelp } from './usage.ts';

const usage = `mkdir [-m MODE] [-p] DIRECTORY...

Create DIRECTORY

\t-m MODE\tMode
\t-p\tNo error if exists; make parent directories as needed`;

export const mkdir: Command = (ctx) => {
  if (wantsHelp(ctx)) return showHelp(ctx, usage);
  const parsed = parseOptions(ctx.argv.slice(1), 'pm:v');
  if (!parsed.ok) return optionError(ctx, 'mkdir', parsed.message, usage);
  const { flags, values, operands } = parsed.options;
  if (operands.length === 0) return showUsage(ctx, usage);
  const modeText = values.get('m');
  const mode = modeText === undefined ? 0o755 : parseMode(modeText, 0o777);
  if (mode === null) {
    ctx.stderr.write(`mkdir: invalid mode '${modeText ?? ''}'\n`);
    return 1;
  }
  const parents = flags.has('p');
  let status = 0;
  for (const name of operands) {
    const path = absolute(ctx, name);
    if (parents && ctx.fs.stat(path)?.kind === 'dir') continue;
    try {
      ctx.fs.mkdir(path, { parents, mode });
    } catch (error) {
      ctx.stderr.write(`mkdir: can't create directory '${name}': ${errorText(error)}\n`);
      status = 1;
    }
  }
  return status;
};
