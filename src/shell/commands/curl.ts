// curl: not part of BusyBox, but some firmwares ship it. Records the URL and fails to connect
// with curl's own error codes (7 refused, 6 unresolvable host).
import type { Command } from '../command.ts';
import { isIpAddress, parseUrl, recordDownload } from './download.ts';
import { absolute } from './file-ops.ts';

const withValue = new Set(['-o', '--output', '-A', '--user-agent', '-H', '--header', '-d', '--data', '-X', '--request', '-u', '--user', '-e', '--referer', '-m', '--max-time', '--connect-timeout', '-x', '--proxy', '-T', '--upload-file', '-b', '-c', '-F', '--form', '-r', '--retry']);

export const curl: Command = (ctx) => {
  const urls: string[] = [];
  let output: string | null = null;
  let remoteName = false;
  let silent = false;
  const args = ctx.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (withValue.has(arg)) {
      const value = args[++i] ?? '';
      if (arg === '-o' || arg === '--output') output = value;
    } else if (arg === '-O' || arg === '--remote-name') remoteName = true;
    else if (arg.startsWith('-o') && arg.length > 2 && !arg.startsWith('--')) output = arg.slice(2);
    else if (/^-[a-zA-Z]+$/.test(arg)) {
      if (arg.includes('s')) silent = true;
      if (arg.includes('O')) remoteName = true;
    } else if (!arg.startsWith('-')) urls.push(arg);
  }
  if (urls.length === 0) {
    ctx.stderr.write("curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const url = urls[0] ?? '';
  const parsed = parseUrl(url, 'http');
  const fileName = parsed?.path.split(/[?#]/)[0]?.split('/').pop() ?? '';
  const target = output !== null && output !== '-' ? absolute(ctx, output) : remoteName && fileName !== '' ? absolute(ctx, fileName) : null;
  recordDownload(ctx, 'curl', url, target);
  if (parsed === null) {
    if (!silent) ctx.stderr.write(`curl: (3) URL using bad/illegal format or missing URL\n`);
    return 3;
  }
  if (!isIpAddress(parsed.host)) {
    if (!silent) ctx.stderr.write(`curl: (6) Could not resolve host: ${parsed.host}\n`);
    return 6;
  }
  if (!silent) ctx.stderr.write(`curl: (7) Failed to connect to ${parsed.host} port ${parsed.port}: Connection refused\n`);
  return 7;
};
