// tftp (BusyBox): `tftp -g -r FILE [-l LOCAL] HOST [PORT]`. Records the transfer and fetches it
// through hachi (silent on success, as BusyBox is); an unreachable host times out. Bots also type tftp-hpa's `tftp HOST -c get FILE`, which
// BusyBox rejects: the URL is still recorded, then the usage is printed.
import type { Command } from '../command.ts';
import { fetchAndSave, recordDownload } from './download.ts';
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

export const tftp: Command = async (ctx) => {
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
  const url = `tftp://${host}${port}/${values.get('r') ?? remote}`;
  recordDownload(ctx, 'tftp', url, flags.has('g') ? absolute(ctx, local) : null);
  if (!flags.has('g')) {
    ctx.stderr.write('tftp: timeout\n'); // an upload goes nowhere
    return 1;
  }
  const result = await fetchAndSave(ctx, 'tftp', url, local === '-' ? null : absolute(ctx, local));
  switch (result.kind) {
    case 'saved':
      if (local === '-') ctx.stdout.write(result.bytes);
      return 0;
    case 'bad-address':
      ctx.stderr.write(`tftp: bad address '${host}'\n`);
      return 1;
    case 'server-error':
      ctx.stderr.write('tftp: server error: (1) File not found\n');
      return 1;
    case 'write-error':
      ctx.stderr.write(`tftp: can't open '${local}': ${result.message}\n`);
      return 1;
    case 'refused':
      ctx.stderr.write('tftp: timeout\n');
      return 1;
  }
};
