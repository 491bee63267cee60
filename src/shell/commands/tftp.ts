// tftp (BusyBox): `tftp -g -r FILE [-l LOCAL] HOST [PORT]`. Records the transfer, then times out
// as a blocked UDP transfer does. Bots also type tftp-hpa's `tftp HOST -c get FILE`, which
// BusyBox rejects: the URL is still recorded, then the usage is printed.
import type { Command } from '../command.ts';
import { recordDownload } from './download.ts';
import { absolute, lastComponent } from './file-ops.ts';
import { parseOptions } from './getopt.ts';
import { optionError, showHelp, showUsage } from './usage.ts';

const usage = `tftp [OPTIONS] HOST [PORT]

Transfer a file from/to tftp server

\t-l FILE\tLocal FILE
\t-r FILE\tRemote FILE
\t-g\tGet file
\t-p\tPut file
\t-b SIZE\tTransfer blocks in bytes`;

export const tftp: Command = (ctx) => {
  if (ctx.argv[1] === '--help') return showHelp(ctx, usage);
  const args = ctx.argv.slice(1);
  const hpa = args.indexOf('-c');
  if (hpa >= 0) {
    const host = args.find((arg) => !arg.startsWith('-'));
    const file = args[hpa + 2];
    if (host !== undefined && file !== undefined && (args[hpa + 1] === 'get' || args[hpa + 1] === 'put')) {
      recordDownload(ctx, 'tftp', `tftp://${host}/${file}`, args[hpa + 1] === 'get' ? absolute(ctx, args[hpa + 3] ?? lastComponent(file)) : null);
    }
    return optionError(ctx, 'tftp', "invalid option -- 'c'", usage);
  }
  const parsed = parseOptions(args, 'gpl:r:b:');
  if (!parsed.ok) return optionError(ctx, 'tftp', parsed.message, usage);
  const { flags, values, operands } = parsed.options;
  const host = operands[0];
  const remote = values.get('r') ?? values.get('l');
  if (host === undefined || (!flags.has('g') && !flags.has('p')) || remote === undefined) return showUsage(ctx, usage);
  const port = operands[1] !== undefined ? `:${operands[1]}` : '';
  const local = values.get('l') ?? lastComponent(remote);
  recordDownload(ctx, 'tftp', `tftp://${host}${port}/${values.get('r') ?? remote}`, flags.has('g') ? absolute(ctx, local) : null);
  ctx.stderr.write('tftp: timeout\n');
  return 1;
};
