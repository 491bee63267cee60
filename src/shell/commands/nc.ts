// nc (BusyBox): `nc HOST PORT` records HOST:PORT (bots pipe payloads in or out of it) and fails
// to connect; listen mode (-l) returns at once, as no peer will ever come.
import type { Command } from '../command.ts';
import { connectFailure, recordDownload } from './download.ts';
import { parseOptions } from './getopt.ts';
import { optionError, showHelp, showUsage } from './usage.ts';

const usage = `nc [-iN] [-wN] [-l] [-p PORT] [-f FILE|IPADDR PORT] [-e PROG]

Open a pipe to IP:PORT or FILE

\t-l\tListen mode, for inbound connects
\t\t(use -ll with -e for persistent server)
\t-p PORT\tLocal port
\t-w SEC\tConnect timeout
\t-i SEC\tDelay interval for lines sent
\t-f FILE\tUse file (ala /dev/ttyS0) instead of network
\t-e PROG\tRun PROG after connect`;

export const nc: Command = (ctx) => {
  if (ctx.argv[1] === '--help') return showHelp(ctx, usage);
  const parsed = parseOptions(ctx.argv.slice(1), 'lnvzup:w:i:f:e:s:q:');
  if (!parsed.ok) return optionError(ctx, 'nc', parsed.message, usage);
  const { flags, operands } = parsed.options;
  if (flags.has('l')) return 0;
  const [host, port] = operands;
  if (host === undefined || port === undefined) return showUsage(ctx, usage);
  recordDownload(ctx, 'nc', `${host}:${port}`, null);
  return connectFailure(ctx, 'nc', host);
};
