// Shields ssh2's SFTP parser from bad packet lengths: it reads 2^31 and more as negative and throws
// (dropping the attacker's whole SSH connection), and after its own fatal error it keeps parsing.
// sftp-server just ends the channel on a bad length, so the guard does that before ssh2 sees it.
import type { SFTPWrapper } from 'ssh2';

/** OpenSSH's SFTP_MAX_MSG_LENGTH, also ssh2's own inbound limit. */
const MAX_PACKET = 256 * 1024;

/** Where the framing of the incoming SFTP byte stream stands: inside a length prefix or a body. */
export interface Framing {
  header: number;
  headerBytes: number;
  bodyLeft: number;
}

/** How many bytes of `data` are safe to hand on, and whether a bad length follows them. */
export function safePrefix(framing: Framing, data: Uint8Array): { readonly safe: number; readonly bad: boolean } {
  let at = 0;
  let headerStart = 0;
  while (at < data.length) {
    if (framing.bodyLeft > 0) {
      const take = Math.min(framing.bodyLeft, data.length - at);
      framing.bodyLeft -= take;
      at += take;
      continue;
    }
    if (framing.headerBytes === 0) headerStart = at;
    framing.header = framing.header * 256 + data[at]!;
    framing.headerBytes++;
    at++;
    if (framing.headerBytes < 4) continue;
    if (framing.header === 0 || framing.header > MAX_PACKET) return { safe: headerStart, bad: true };
    framing.bodyLeft = framing.header;
    framing.header = 0;
    framing.headerBytes = 0;
  }
  return { safe: at, bad: false };
}

/** Wraps `sftp.push` (what ssh2 calls with each channel data chunk) with the length check. */
export function guardSftpFraming(sftp: SFTPWrapper): void {
  const inner = sftp as unknown as { push?: unknown; destroy?: unknown };
  const push = inner.push;
  if (typeof push !== 'function') return;
  const framing: Framing = { header: 0, headerBytes: 0, bodyLeft: 0 };
  let broken = false;
  // After any fatal error (ours or ssh2's) nothing more reaches the parser: ssh2 keeps its state.
  sftp.on('error', () => (broken = true));
  inner.push = (data: unknown): unknown => {
    if (broken) return true;
    if (!(data instanceof Uint8Array)) return push.call(sftp, data);
    const { safe, bad } = safePrefix(framing, data);
    if (!bad) return push.call(sftp, data);
    broken = true;
    if (safe > 0) push.call(sftp, data.subarray(0, safe));
    sftp.emit('error', new Error('bad message: SFTP packet length over 2^31'));
    sftp.end();
    return true;
  };
}
