// hachi's side of the SSH relay towards the real device: logs in with the configured credentials,
// and reads the device's identification line (so hachi presents the same one to attackers). The
// device's host key is checked against a pinned fingerprint when one is configured.
import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { Client } from 'ssh2';

export interface DeviceLogin {
  readonly username: string;
  readonly password?: string;
  /** An OpenSSH or PEM private key (contents, not a path). */
  readonly privateKey?: Buffer;
  /** Longest wait for the device's handshake and login. */
  readonly timeoutMs: number;
  /** Fingerprints ("SHA256:..." as `ssh-keygen -lf` prints them) the device's host key must have; any key when unset. */
  readonly hostKeys?: readonly string[];
  /** Told the fingerprint of the host key the device showed (before it is checked). */
  readonly sawHostKey?: (fingerprint: string) => void;
}

/** "SHA256:..." of a public key blob, as OpenSSH prints it (base64 without padding). */
export function hostKeyFingerprint(blob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** A logged-in SSH client on the device; rejects with a `code` (errno, or AUTH / HANDSHAKE / HOSTKEY_MISMATCH). */
export async function connectDevice(connect: () => Promise<Duplex>, login: DeviceLogin): Promise<Client> {
  const sock = await connect();
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let settled = false;
    /** The fingerprint the device showed when it was not a pinned one. */
    let mismatch: string | null = null;
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, answer) => answer(prompts.map(() => login.password ?? '')));
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    client.on('error', (error: Error & { level?: string }) => {
      if (settled) return;
      settled = true;
      sock.destroy();
      if (mismatch !== null) {
        const expected = login.hostKeys?.join(', ') ?? '';
        return reject(Object.assign(new Error(`device host key ${mismatch} is not the pinned ${expected}`), { code: 'HOSTKEY_MISMATCH' }));
      }
      const code = error.level === 'client-authentication' ? 'AUTH' : error.level === 'client-timeout' ? 'ETIMEDOUT' : 'HANDSHAKE';
      reject(Object.assign(new Error(`device login failed: ${error.message}`), { code }));
    });
    client.once('close', () => {
      if (settled) return;
      settled = true;
      reject(Object.assign(new Error('device closed the connection during login'), { code: 'HANDSHAKE' }));
    });
    client.connect({
      sock,
      username: login.username,
      ...(login.password === undefined ? {} : { password: login.password }),
      ...(login.privateKey === undefined ? {} : { privateKey: login.privateKey }),
      tryKeyboard: login.password !== undefined,
      readyTimeout: login.timeoutMs,
      // Unpinned, the device's key is whatever it is today (a reflash may change it); pinned, a
      // different key means something else answers at the device's address.
      hostVerifier: (key: Buffer) => {
        const fingerprint = hostKeyFingerprint(key);
        login.sawHostKey?.(fingerprint);
        if (login.hostKeys === undefined || login.hostKeys.includes(fingerprint)) return true;
        mismatch = fingerprint;
        return false;
      },
    });
  });
}

/** RFC 4253: the identification line is at most 255 bytes; a server may send lines before it. */
const MAX_BANNER_BYTES = 8 * 1024;

/** The device's identification without "SSH-2.0-" (e.g. "OpenSSH_9.2p1 Debian-2+deb12u3"). */
export function readDeviceIdent(connect: () => Promise<Duplex>, timeoutMs: number): Promise<string> {
  return connect().then(
    (sock) =>
      new Promise((resolve, reject) => {
        let text = '';
        const fail = (message: string, code: string): void => {
          done();
          reject(Object.assign(new Error(message), { code }));
        };
        const timer = setTimeout(() => fail('the device sent no SSH identification in time', 'ETIMEDOUT'), timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          sock.destroy();
        };
        sock.on('error', (error: NodeJS.ErrnoException) => fail(error.message, error.code ?? 'ERROR'));
        sock.on('close', () => fail('the device closed before its identification', 'HANDSHAKE'));
        sock.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1');
          for (const line of text.split('\n').slice(0, -1)) {
            const ident = /^SSH-2\.0-(.+?)\r?$/.exec(line);
            if (ident) {
              done();
              return resolve(ident[1]!);
            }
          }
          if (text.length > MAX_BANNER_BYTES) fail('no SSH-2.0 identification in the device banner', 'HANDSHAKE');
        });
      }),
  );
}
