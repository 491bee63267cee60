// Serves `scp -t` (upload) and `scp -f` (download) exec requests of an emulated SSH session over
// the session's persona filesystem. The session core calls it for every exec command first.
import type { Readable } from 'node:stream';
import { parseScpCommand } from './scp-command.ts';
import { sendFiles } from './scp-download.ts';
import { ScpReader } from './scp-reader.ts';
import { receiveFiles, type ScpOutput } from './scp-upload.ts';
import type { TransferOptions } from './transfer-fs.ts';

/** The exec channel as scp uses it: bytes in, bytes out (stderr is not needed, errors go in-band). */
export type ScpChannel = Readable & ScpOutput;

/** Bytes held unread before the peer counts as flooding (a lock-step peer stays far below). */
const MAX_HELD = 4 * 1024 * 1024;

/**
 * When `command` is an scp server command (`scp -t ...`, `scp -f ...`), runs it on `channel` and
 * resolves to its exit status once the client is done; null otherwise (run it as a shell command).
 * The caller sends the exit status and closes the channel. Never rejects.
 */
export function serveScp(command: string, channel: ScpChannel, options: TransferOptions): Promise<number> | null {
  const parsed = parseScpCommand(command);
  if (parsed === null) return null;
  const reader = new ScpReader(channel, MAX_HELD);
  const run = parsed.mode === 'sink' ? receiveFiles(parsed, reader, channel, options) : sendFiles(parsed, reader, channel, options);
  // A filesystem bug ends this scp like a crash of the real one would: status 1, nothing revealed.
  return run.catch(() => 1);
}
