// ftpget (BusyBox): `ftpget [-u USER] [-p PASS] [-P PORT] HOST [LOCAL] REMOTE`: records the
// transfer as ftp://[user@]host[:port]/remote, then fails to connect.
import type { Command } from '../command.ts';
import { connectFailure, recordDownload } from './download.ts';
import { absolute, lastComponent } from './file-ops.ts';
import { parseOptions } from './getopt.ts';
import { optionError, showHelp, showUsage } from './usage.ts';

const usage = `ftpget [OPTIONS] HOST [LOCAL_FILE] REMOTE_FILE

Download a file via FTP

\t-c\tContinue previous transfer
\t-v\tVerbose
\t-u USER\tUsername
\t-p PASS\tPassword
\t-P PORT`;

export const ftpget: Command = (ctx) => {
  if (ctx.argv[1] === '--help') return showHelp(ctx, usage);
  const parsed = parseOptions(ctx.argv.slice(1), 'cvu:p:P:');
  if (!parsed.ok) return optionError(ctx, 'ftpget', parsed.message, usage);
  const { values, operands } = parsed.options;
  const [host, first, second] = operands;
  if (host === undefined || first === undefined) return showUsage(ctx, usage);
  const remote = second ?? first;
  const local = second === undefined ? lastComponent(first) : first;
  const user = values.get('u');
  const port = values.get('P');
  const url = `ftp://${user !== undefined ? `${user}@` : ''}${host}${port !== undefined ? `:${port}` : ''}/${remote.replace(/^\/+/, '')}`;
  recordDownload(ctx, 'ftpget', url, local === '-' ? null : absolute(ctx, local));
  return connectFailure(ctx, 'ftpget', host);
};
