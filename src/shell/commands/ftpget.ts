// ftpget (BusyBox): `ftpget [-u USER] [-p PASS] [-P PORT] HOST [LOCAL] REMOTE`: records the
// transfer as ftp://[user@]host[:port]/remote (the password is used, never recorded in the URL) and
// fetches it through hachi; silent on success as BusyBox is.
import type { Command } from '../command.ts';
import { connectFailure, fetchAndSave, recordDownload } from './download.ts';
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

export const ftpget: Command = async (ctx) => {
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
  const password = values.get('p');
  const fetchUrl = password !== undefined && user !== undefined ? url.replace(`ftp://${user}@`, `ftp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@`) : url;
  const result = await fetchAndSave(ctx, 'ftpget', fetchUrl, local === '-' ? null : absolute(ctx, local));
  switch (result.kind) {
    case 'saved':
      if (local === '-') ctx.stdout.write(result.bytes);
      return 0;
    case 'bad-address':
    case 'refused':
      return connectFailure(ctx, 'ftpget', host);
    case 'server-error':
      ctx.stderr.write('ftpget: unexpected server response to RETR: 550 Failed to open file.\n');
      return 1;
    case 'write-error':
      ctx.stderr.write(`ftpget: can't open '${local}': ${result.message}\n`);
      return 1;
  }
};
