// touch [-c] FILE...: creates empty files or updates their mtime.
import type { Command } from '../command.ts';
import { absolute } from './file-ops.ts';
import { parseOptions } from './getopt.ts';
import { errorText, optionError, showHelp, showUsage, wantsHelp } from './usage.ts';

const usage = `touch [-cham] [-d DATE] [-t DATE] [-r FILE] FILE...

Update mtime of FILEs

\t-c\tDon't create files
\t-h\tDon't follow links
\t-a\tChange only atime
\t-m\tChange only mtime
\t-d DT\tDate/time to use
\t-t DT\tDate/time to use
\t-r FILE\tUse FILE's date/time`;

export const touch: Command = (ctx) => {
  if (wantsHelp(ctx)) return showHelp(ctx, usage);
  const parsed = parseOptions(ctx.argv.slice(1), 'chamd:t:r:');
  if (!parsed.ok) return optionError(ctx, 'touch', parsed.message, usage);
  const { flags, operands } = parsed.options;
  if (operands.length === 0) return showUsage(ctx, usage);
  let status = 0;
  for (const name of operands) {
    const path = absolute(ctx, name);
    if (flags.has('c') && ctx.fs.stat(path) === null) continue;
    try {
      ctx.fs.touch(path);
    } catch (error) {
      ctx.stderr.write(`touch: ${name}: ${errorText(error)}\n`);
      status = 1;
    }
  }
  return status;
};
