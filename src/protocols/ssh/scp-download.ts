// `scp -f PATH...` on the device: sends persona files (C lines, bytes, a NUL, each step waiting for
// the client's NUL) and with -r whole directories (D ... E), as OpenSSH's scp source() does.
import type { FsNode } from '../../core/persona.ts';
import type { ScpCommand } from './scp-command.ts';
import type { ScpReader } from './scp-reader.ts';
import type { ScpOutput } from './scp-upload.ts';
import { strerror, type TransferOptions } from './transfer-fs.ts';

const MAX_DEPTH = 64;
/** A download sends at most this many entries, so `scp -r -f /` cannot run for ever. */
const MAX_ENTRIES = 10_000;

class ScpAbort extends Error {}

export async function sendFiles(command: ScpCommand, reader: ScpReader, out: ScpOutput, options: TransferOptions): Promise<number> {
  const { fs } = options;
  let errors = 0;
  let sent = 0;
  const fail = (message: string): void => {
    errors++;
    out.write(`\x01scp: ${message}\n`);
  };
  /** response(): NUL goes on, \x01 is one file's error, anything else ends scp. */
  const response = async (): Promise<boolean> => {
    const b = await reader.byte();
    if (b === 0) return true;
    if (b === null) throw new ScpAbort();
    await reader.line(1024);
    errors++;
    if (b === 1) return false;
    throw new ScpAbort();
  };
  const times = async (node: FsNode): Promise<boolean> => {
    if (!command.preserve) return true;
    const seconds = Math.floor(node.mtime / 1000);
    out.write(`T${seconds} 0 ${seconds} 0\n`);
    return response();
  };
  const mode = (node: FsNode): string => ('mode' in node ? node.mode & 0o7777 : 0o644).toString(8).padStart(4, '0');

  const source = async (name: string, path: string, depth: number): Promise<void> => {
    if (++sent > MAX_ENTRIES) throw new ScpAbort();
    const node = fs.stat(path);
    if (!node) return fail(`${name}: ${strerror('ENOENT')}`);
    if (node.kind === 'dir' && command.recursive && depth < MAX_DEPTH) return directory(path, node, depth);
    if (node.kind !== 'file') return fail(`${name}: not a regular file`);
    const last = path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1);
    if (!(await times(node))) return;
    out.write(`C${mode(node)} ${node.data.length} ${last}\n`);
    if (!(await response())) return;
    out.write(node.data);
    out.write('\0');
    await response();
  };

  const directory = async (path: string, node: FsNode, depth: number): Promise<void> => {
    const last = path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1);
    if (!(await times(node))) return;
    out.write(`D${mode(node)} 0 ${last}\n`);
    if (!(await response())) return;
    for (const entry of fs.readdir(path)) await source(`${path === '/' ? '' : path}/${entry.name}`, fs.resolve(path, entry.name), depth + 1);
    out.write('E\n');
    await response();
  };

  try {
    if (!(await response())) return 1;
    for (const given of command.paths) {
      const name = given.length > 1 ? given.replace(/\/+$/, '') : given;
      if (name.includes('\n')) fail(`${name}: skipping, filename contains a newline`);
      else await source(name, fs.resolve(options.home, name), 0);
    }
  } catch (error) {
    if (!(error instanceof ScpAbort)) throw error;
    return 1;
  }
  return errors === 0 ? 0 : 1;
}
