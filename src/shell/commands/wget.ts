// wget (BusyBox): records each URL as download.attempt with the file it would write, then fails
// to connect as the device would (`Connecting to ...` then `can't connect ...: Connection refused`,
// or `bad address` for a name). Bots then try their next tool, revealing more URLs.
import type { Command } from '../command.ts';
import { connectFailure, isIpAddress, parseUrl, recordDownload } from './download.ts';
import { absolute } from './file-ops.ts';
import { showHelp, showUsage } from './usage.ts';
import { childPath } from '../vfs/vfs-path.ts';

const usage = `wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]
\t[--post-data STR | --post-file FILE] [-Y on/off]
\t[--no-check-certificate] [-P DIR] [-U AGENT] URL...

Retrieve files via HTTP or FTP

\t--spider\tOnly check URL existence: $? is 0 if exists
\t--header STR\tAdd STR (of form 'header: value') to headers
\t--post-data STR\tSend STR using POST method
\t--post-file FILE\tSend FILE using POST method
\t--no-check-certificate\tDon't validate the server's certificate
\t-c\t\tContinue retrieval of aborted transfer
\t-q\t\tQuiet
\t-P DIR\t\tSave to DIR (default .)
\t-S    \t\tShow server response
\t-O FILE\t\tSave to FILE ('-' for stdout)
\t-o LOGFILE\tLog messages to FILE
\t-U STR\t\tUse STR for User-Agent header
\t-Y on/off\tUse proxy`;

const withValue = new Set(['-O', '-o', '-P', '-U', '-Y', '-T', '-t', '--header', '--post-data', '--post-file', '--user-agent', '--output-document', '--directory-prefix', '--timeout', '--tries', '--user', '--password']);

export const wget: Command = (ctx) => {
  if (ctx.argv[1] === '--help') return showHelp(ctx, usage);
  const urls: string[] = [];
  let output: string | null = null;
  let dir: string | null = null;
  let quiet = false;
  const args = ctx.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg.startsWith('-') && !arg.startsWith('--') ? arg.slice(0, 2) : arg;
    if (withValue.has(name)) {
      const attached = arg.startsWith('--') ? (eq > 0 ? arg.slice(eq + 1) : null) : arg.length > 2 ? arg.slice(2) : null;
      const value = attached ?? args[++i] ?? '';
      if (name === '-O' || name === '--output-document') output = value;
      if (name === '-P' || name === '--directory-prefix') dir = value;
    } else if (arg.startsWith('-')) {
      if (/^-[a-zA-Z]*q/.test(arg) || arg === '--quiet') quiet = true;
    } else urls.push(arg);
  }
  if (urls.length === 0) return showUsage(ctx, usage);
  // The device would stop at the first failure; every URL is still worth recording.
  for (const url of urls) {
    const fileName = parseUrl(url, 'http')?.path.split(/[?#]/)[0]?.split('/').pop() || 'index.html';
    recordDownload(ctx, 'wget', url, output === '-' ? null : absolute(ctx, output ?? (dir === null ? fileName : childPath(dir, fileName))));
  }
  const url = urls[0] ?? '';
  const parsed = parseUrl(url, 'http');
  if (parsed === null || (parsed.scheme !== 'http' && parsed.scheme !== 'https' && parsed.scheme !== 'ftp')) {
    ctx.stderr.write(`wget: not an http or ftp url: ${url}\n`);
    return 1;
  }
  if (!isIpAddress(parsed.host)) return connectFailure(ctx, 'wget', parsed.host);
  const hostPort = /:\d+/.test(url.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? '') ? `${parsed.host}:${parsed.port}` : parsed.host;
  if (!quiet) ctx.stderr.write(`Connecting to ${hostPort} (${parsed.host}:${parsed.port})\n`);
  return connectFailure(ctx, 'wget', parsed.host);
};
