// curl: not part of BusyBox, but some firmwares ship it. Records the URL, fetches it through hachi
// and answers with curl's own messages and exit codes (7 refused, 6 unresolvable host).
import type { Command } from '../command.ts';
import { fetchAndSave, parseUrl, recordDownload } from './download.ts';
import { absolute } from './file-ops.ts';

const withValue = new Set(['-o', '--output', '-A', '--user-agent', '-H', '--header', '-d', '--data', '-X', '--request', '-u', '--user', '-e', '--referer', '-m', '--max-time', '--connect-timeout', '-x', '--proxy', '-T', '--upload-file', '-b', '-c', '-F', '--form', '-r', '--retry']);

export const curl: Command = async (ctx) => {
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
  const result = await fetchAndSave(ctx, 'curl', /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`, target);
  if (result.kind === 'bad-address') {
    if (!silent) ctx.stderr.write(`curl: (6) Could not resolve host: ${parsed.host}\n`);
    return 6;
  }
  if (result.kind === 'refused') {
    if (!silent) ctx.stderr.write(`curl: (7) Failed to connect to ${parsed.host} port ${parsed.port}: Connection refused\n`);
    return 7;
  }
  if (result.kind === 'write-error') {
    if (!silent) ctx.stderr.write(`curl: (23) Failure writing output to destination\n`);
    return 23;
  }
  // Without -f curl shows an error page like any other body.
  const bytes = result.kind === 'saved' ? result.bytes : new Uint8Array(0);
  if (target === null) ctx.stdout.write(bytes);
  else if (!silent) ctx.stderr.write(curlProgress(bytes.length));
  return 0;
};

/** curl 7's progress meter as it ends when the body went to a file (stderr not a terminal). */
function curlProgress(size: number): string {
  const n = max5(size);
  const speed = max5(Math.max(size * 900, 1024));
  return (
    '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n' +
    '                                 Dload  Upload   Total   Spent    Left  Speed\n' +
    '\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0' +
    `\r100 ${n}  100 ${n}    0     0 ${speed}      0 --:--:-- --:--:-- --:--:-- ${speed}\n`
  );
}

/** curl's max5data: a byte count in five characters. */
function max5(bytes: number): string {
  const k = 1024;
  const m = k * k;
  if (bytes < 100_000) return String(bytes).padStart(5);
  if (bytes < 10_000 * k) return `${Math.floor(bytes / k)}k`.padStart(5);
  if (bytes < 100 * m) return `${Math.floor(bytes / m)}.${Math.floor((bytes % m) / (m / 10))}M`;
  return `${Math.floor(bytes / m)}M`.padStart(5);
}
