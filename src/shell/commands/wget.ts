// wget (BusyBox): records each URL as download.attempt with the file it would write, then fails
// to connect as the device would (`Connecting to ...` then `can't connect ...: Connection refused`,
// or `bad address` for a name). Bots then try their next tool, revealing more URLs.
import type { Command, CommandContext } from '../command.ts';
import { fetchAndSave, parseUrl, recordDownload } from './download.ts';
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

export const wget: Command = async (ctx) => {
  if (ctx.argv[1] === '--help') return showHelp(ctx, usage);
  const urls: string[] = [];
  let output: string | null = null;
  let dir: string | null = null;
  let quiet = false;
  const args = ctx.argv.slice(1);
  const take = (name: string, value: string): void => {
    if (name === '-O' || name === '--output-document') output = value;
    if (name === '-P' || name === '--directory-prefix') dir = value;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(0, eq) : arg;
      if (withValue.has(name)) take(name, eq > 0 ? arg.slice(eq + 1) : (args[++i] ?? ''));
      else if (arg === '--quiet') quiet = true;
    } else if (arg.startsWith('-') && arg.length > 1) {
      // Bundled short options as getopt reads them: `-qO-` is -q then -O with the value "-".
      for (let c = 1; c < arg.length; c++) {
        const name = `-${arg[c]}`;
        if (withValue.has(name)) {
          take(name, c + 1 < arg.length ? arg.slice(c + 1) : (args[++i] ?? ''));
          break;
        }
        if (name === '-q') quiet = true;
      }
    } else urls.push(arg);
  }
  if (urls.length === 0) return showUsage(ctx, usage);
  // Every URL is recorded up front; the device then stops at the first failure.
  const targets = urls.map((url) => {
    const fileName = parseUrl(url, 'http')?.path.split(/[?#]/)[0]?.split('/').pop() || 'index.html';
    const path = output === '-' ? null : absolute(ctx, output ?? (dir === null ? fileName : childPath(dir, fileName)));
    recordDownload(ctx, 'wget', url, path);
    return { url, path };
  });
  for (const { url, path } of targets) {
    const status = await getOne(ctx, url, path, quiet);
    if (status !== 0) return status;
  }
  return 0;
};

async function getOne(ctx: CommandContext, url: string, path: string | null, quiet: boolean): Promise<number> {
  const parsed = parseUrl(url, 'http');
  if (parsed === null || (parsed.scheme !== 'http' && parsed.scheme !== 'https' && parsed.scheme !== 'ftp')) {
    ctx.stderr.write(`wget: not an http or ftp url: ${url}\n`);
    return 1;
  }
  const result = await fetchAndSave(ctx, 'wget', /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`, path);
  const bare = parsed.host.replace(/^\[|\]$/g, '');
  if (result.kind === 'bad-address') {
    ctx.stderr.write(`wget: bad address '${bare}'\n`);
    return 1;
  }
  const hostPort = /:\d+/.test(url.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? '') ? `${parsed.host}:${parsed.port}` : parsed.host;
  const address = result.address ?? bare;
  if (!quiet) ctx.stderr.write(`Connecting to ${hostPort} (${address}:${parsed.port})\n`);
  switch (result.kind) {
    case 'refused':
      ctx.stderr.write(`wget: can't connect to remote host (${address}): Connection refused\n`);
      return 1;
    case 'server-error':
      ctx.stderr.write(`wget: server returned error: ${result.message}\n`);
      return 1;
    case 'write-error':
      ctx.stderr.write(`wget: can't open '${path ?? '-'}': ${result.message}\n`);
      return 1;
    case 'saved':
      break;
  }
  if (path === null) ctx.stdout.write(result.bytes);
  if (!quiet) {
    const shown = path === null ? '-' : (path.split('/').pop() ?? path);
    ctx.stderr.write(path === null ? 'writing to stdout\n' : `saving to '${path}'\n`);
    ctx.stderr.write(`${progressLine(shown, result.bytes.length)}\n`);
    ctx.stderr.write(path === null ? 'written to stdout\n' : `'${path}' saved\n`);
  }
  return 0;
}

/** BusyBox's final progress-meter line when stderr is not a terminal (the bar is drawn once, full). */
export function progressLine(name: string, size: number): string {
  return `${name.slice(0, 20).padEnd(20)} 100% |${'*'.repeat(32)}| ${sizeField(size)}  0:00:00 ETA`;
}

/** BusyBox smart_ulltoa5: five characters; from 100000 up scaled by 1024 with one decimal below 100 (`50.0M`, `2929k`). */
export function sizeField(size: number): string {
  if (size <= 99_999) return String(size).padStart(5);
  let tenths = size * 10;
  let unit = 0;
  do {
    tenths = Math.floor(tenths / 1024);
    unit += 1;
  } while (tenths >= 100_000);
  const whole = Math.floor(tenths / 10);
  const scale = ' kMGTPEZY'[unit] ?? '?';
  return whole >= 100 ? `${whole}`.padStart(4) + scale : `${String(whole).padStart(2)}.${tenths % 10}${scale}`;
}
