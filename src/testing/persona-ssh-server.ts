// Test helper: a bare ssh2 Server on 127.0.0.1 showing a shipped persona's SSH handshake (host keys
// kept in a scratch dir), refusing every login with the persona's auth methods; and a raw first-bytes reader.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'ssh2';
import type { SshPersona } from '../core/ssh-persona.ts';
import { loadPersonaPack } from '../personas/load-pack.ts';
import { personaHostKeys } from '../protocols/ssh/host-keys.ts';
import { createPersonaSshServer } from '../protocols/ssh/server-profile.ts';

export const PERSONAS_ROOT = fileURLToPath(new URL('../../personas', import.meta.url));

export async function personaSsh(id: string): Promise<SshPersona> {
  const view = await loadPersonaPack(join(PERSONAS_ROOT, id));
  if (!view.ssh) throw new Error(`persona ${id} has no ssh.yaml`);
  return view.ssh;
}

export interface RunningPersonaServer {
  readonly server: Server;
  readonly port: number;
  readonly hostKeys: Buffer[];
  close(): Promise<void>;
}

export async function startPersonaSshServer(profile: SshPersona): Promise<RunningPersonaServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hachi-ssh-keys-'));
  const hostKeys = await personaHostKeys(dir, profile.hostKeys);
  const server = createPersonaSshServer(profile, hostKeys, (client) => {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => ctx.reject([...profile.authMethods]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    hostKeys,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(dir, { recursive: true, force: true });
      }),
  };
}

/** Sends `ident` and reads the server's identification line and first (KEXINIT) packet payload. */
export function readServerHello(port: number, ident = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3'): Promise<{ ident: string; payload: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let held = Buffer.alloc(0);
    const finish = (error: Error | null, value?: { ident: string; payload: Buffer }): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else if (value) resolve(value);
    };
    const timer = setTimeout(() => finish(new Error('no KEXINIT within 5 s')), 5000);
    socket.on('connect', () => socket.write(`${ident}\r\n`));
    socket.on('error', (error) => finish(error));
    socket.on('data', (chunk: Buffer) => {
      held = Buffer.concat([held, chunk]);
      const lf = held.indexOf(0x0a);
      if (lf < 0 || held.length < lf + 6) return;
      const length = held.readUInt32BE(lf + 1);
      if (held.length < lf + 5 + length) return;
      const padding = held[lf + 5] ?? 0;
      finish(null, { ident: held.subarray(0, lf).toString('latin1').replace(/\r$/, ''), payload: held.subarray(lf + 6, lf + 5 + length - padding) });
    });
  });
}
