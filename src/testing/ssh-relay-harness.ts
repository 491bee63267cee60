// Runs the SSH relay for tests: a fake device (an ssh2 server answering exec and shell) on a
// loopback port, the relay on a Duplex pair, and an ssh2 client as the attacker.
import { connect, createServer, type Server, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { Client, Connection, ServerChannel } from 'ssh2';
import { relaySsh, type SshRelayContext, type SshRelayLimits } from '../relay/ssh-relay.ts';
import { RecordingEmitter } from './recording-emitter.ts';

/** An ed25519 key ssh2 can read back (it writes about one in 256 that it cannot). */
export function testHostKey(): Buffer {
  for (;;) {
    const key = ssh2.utils.generateKeyPairSync('ed25519').private;
    if (!(ssh2.utils.parseKey(key) instanceof Error)) return Buffer.from(key);
  }
}

export interface FakeDevice {
  readonly hostKey: Buffer;
  /** The device's side of each connection made to it, newest last (resetAndDestroy() makes an ECONNRESET). */
  readonly sockets: Socket[];
  /** The device's SSH connections (to end one from the device's side). */
  readonly connections: Connection[];
  connect(): Promise<Socket>;
  close(): void;
}

/** Accepts root/dev; `exec` answers "ran <command>" and exits 0; a shell echoes what it gets. */
export async function createFakeDevice(): Promise<FakeDevice> {
  const hostKey = testHostKey();
  const sockets: Socket[] = [];
  const connections: Connection[] = [];
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (conn) => {
    connections.push(conn);
    conn.on('error', () => undefined);
    conn.on('authentication', (auth) => (auth.method === 'password' && auth.username === 'root' && auth.password === 'dev' ? auth.accept() : auth.reject(['password'])));
    conn.on('session', (accept) => {
      const session = accept();
      session.on('pty', (ok) => ok?.());
      session.on('exec', (ok, _reject, info) => {
        const channel: ServerChannel | undefined = ok?.();
        channel?.write(`ran ${info.command}\n`);
        channel?.exit(0);
        channel?.end();
      });
      session.on('shell', (ok) => {
        const channel: ServerChannel | undefined = ok?.();
        channel?.on('data', (chunk: Buffer) => channel.write(chunk));
      });
    });
  });
  server.on('error', () => undefined);
  const listener: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    server.injectSocket(socket);
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const address = listener.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    hostKey,
    sockets,
    connections,
    connect: () =>
      new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => resolve(socket));
        socket.once('error', reject);
      }),
    close() {
      for (const socket of sockets) socket.destroy();
      listener.close();
    },
  };
}

export const relayLimits: SshRelayLimits = { idleTimeoutMs: 5000, maxSessionMs: 20_000, maxInputBytes: 1024 * 1024, maxAuthAttempts: 3, maxChannels: 2 };

export interface RunningRelay {
  readonly events: RecordingEmitter;
  /** The attacker's side of its loopback connection to hachi. */
  readonly socket: Socket;
  /** Resolves after session.close. */
  readonly done: Promise<void>;
}

/** One attacker connection over loopback (an in-memory pair would answer within the same tick, as no network does). */
export async function startRelay(device: FakeDevice, overrides: Partial<SshRelayContext> = {}): Promise<RunningRelay> {
  const events = new RecordingEmitter();
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const address = listener.address();
  const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
  const socket = connect(typeof address === 'object' && address !== null ? address.port : 0, '127.0.0.1');
  socket.on('error', () => undefined);
  const server = await accepted;
  listener.close();
  const done = relaySsh(server, {
    device: { name: 'fake', product: 'Fake', firmware: '1', address: '127.0.0.1', port: 22 },
    events,
    connect: () => device.connect(),
    hostKeys: [testHostKey()],
    ident: () => Promise.resolve('OpenSSH_9.2p1'),
    login: { username: 'root', password: 'dev', timeoutMs: 5000 },
    accept: [{ username: 'root', password: 'admin' }],
    capture: null,
    clock: { now: () => Date.now() },
    limits: relayLimits,
    ...overrides,
  });
  return { events, socket, done };
}

/** An ssh2 client (the attacker) logged in through `socket`; rejects when the login fails. */
export function attackerLogin(socket: Socket, passwords: readonly string[] = ['admin']): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    const left = [...passwords];
    client.on('ready', () => resolve(client));
    client.on('error', reject);
    client.on('close', () => reject(new Error('closed before login')));
    client.connect({
      sock: socket,
      username: 'root',
      readyTimeout: 5000,
      authHandler: (_methods, _partial, next) => {
        const password = left.shift();
        if (password === undefined) return void client.end();
        next({ type: 'password', username: 'root', password });
      },
    });
  });
}
