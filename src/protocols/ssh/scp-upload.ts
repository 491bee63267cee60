// `scp -t TARGET` on the device: receives files (C/D/E/T lines, bytes, NUL acknowledgements) into
// the session's filesystem and captures each one, answering errors as OpenSSH's scp sink does.
import type { ScpCommand } from './scp-command.ts';
import type { ScpReader } from './scp-reader.ts';
import { errnoOf, strerror, type TransferOptions } from './transfer-fs.ts';

/** A control line longer than this is not scp (OpenSSH's buffer is about as large). */
const MAX_LINE = 4096;
const MAX_DEPTH = 64;

export interface ScpOutput {
  write(bytes: string | Uint8Array): void;
}

/** Runs the sink to the end of the client's stream; resolves to scp's exit status. */
export async function receiveFiles(command: ScpCommand, reader: ScpReader, out: ScpOutput, options: TransferOptions): Promise<number> {
  const { fs, capture, events, limits } = options;
  const target = fs.resolve(options.home, command.paths.join(' '));
  let errors = 0;
  let written = 0;
  const fail = (message: string): void => {
    errors++;
    out.write(`\x01scp: ${message}\n`);
  };
  const isDir = (path: string): boolean => fs.stat(path)?.kind === 'dir';
  if (command.directory && !isDir(target)) {
    fail(`${target}: ${strerror(fs.stat(target) ? 'ENOTDIR' : 'ENOENT')}`);
    return 1;
  }
  const dirs: string[] = [];
  out.write('\0');
  for (;;) {
    const first = await reader.byte();
    if (first === null) return errors === 0 ? 0 : 1;
    const rest = await reader.line(MAX_LINE);
    if (rest === null) return 1;
    const kind = String.fromCharCode(first);
    if (kind === '\x01' || kind === '\x02') {
      // The client's own error: \x02 is fatal for it.
      if (kind === '\x02') return 1;
      continue;
    }
    if (kind === 'T') {
      if (!/^\d+ \d+ \d+ \d+$/.test(rest)) return protocolError('mtime.sec not delimited');
      out.write('\0');
      continue;
    }
    if (kind === 'E') {
      if (dirs.pop() === undefined) return protocolError('unexpected <newline>');
      out.write('\0');
      continue;
    }
    const match = /^([0-7]{4}) (\d{1,18}) (.+)$/s.exec(rest);
    if ((kind !== 'C' && kind !== 'D') || !match) return protocolError(kind === '\x00' ? 'unexpected <newline>' : 'expected control record');
    const name = match[3]!;
    if (name.includes('/') || name === '.' || name === '..') {
      fail(`error: unexpected filename: ${name}`);
      return 1;
    }
    const mode = parseInt(match[1]!, 8) & 0o7777;
    const base = dirs.length > 0 ? dirs[dirs.length - 1]! : target;
    const path = dirs.length > 0 || isDir(target) ? fs.resolve(base, name) : target;
    if (kind === 'D') {
      if (!command.recursive || dirs.length >= MAX_DEPTH) {
        fail(`received directory without -r`);
        return 1;
      }
      const existing = fs.stat(path);
      try {
        if (!existing) fs.mkdir(path, { mode: mode | 0o700 });
        else if (existing.kind !== 'dir') throw Object.assign(new Error('not a directory'), { errno: 'ENOTDIR' });
      } catch (error) {
        fail(`${path}: ${strerror(errnoOf(error))}`);
        return 1;
      }
      events.emit('ssh.request', { request: 'scp-mkdir', detail: `${path} mode=${mode.toString(8).padStart(4, '0')}`, accepted: true });
      dirs.push(path);
      out.write('\0');
      continue;
    }
    const size = Number(match[2]);
    const refused = refusal(path, size);
    if (refused !== null) {
      fail(refused);
      continue;
    }
    out.write('\0');
    const parts: Buffer[] = [];
    if (!(await reader.block(size, (part) => parts.push(Buffer.from(part))))) return 1;
    const data = new Uint8Array(Buffer.concat(parts, size));
    // After the bytes the client sends its status byte; ours follows.
    if ((await reader.byte()) !== 0) return 1;
    try {
      fs.writeFile(path, data, { mode });
      written += size;
      capture.capture(path, data, 'upload');
      out.write('\0');
    } catch (error) {
      fail(`${path}: ${strerror(errnoOf(error))}`);
    }
  }

  function protocolError(message: string): number {
    fail(message);
    return 1;
  }

  function refusal(path: string, size: number): string | null {
    const node = fs.stat(path);
    if (node?.kind === 'dir') return `${path}: ${strerror('EISDIR')}`;
    const parent = fs.stat(fs.resolve(path, '..'));
    if (parent?.kind !== 'dir') return `${path}: ${strerror(parent ? 'ENOTDIR' : 'ENOENT')}`;
    if (size > limits.maxFileBytes) {
      events.emit('session.limit', { limit: 'file-size', max: limits.maxFileBytes, detail: `scp upload ${path} of ${size} bytes refused` });
      return `${path}: ${strerror('EFBIG')}`;
    }
    if (written + size > limits.maxSessionWriteBytes) {
      events.emit('session.limit', { limit: 'capture-bytes', max: limits.maxSessionWriteBytes, detail: `scp uploads passed ${limits.maxSessionWriteBytes} bytes; ${path} refused` });
      return `${path}: ${strerror('ENOSPC')}`;
    }
    return null;
  }
}
