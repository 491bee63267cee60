// Serves handleSsh on a loopback port for tests with real clients (OpenSSH, paramiko, hydra): each
// connection gets its own recording emitter; a small shell knows echo, exit N, false and uname.
import { createServer, type AddressInfo, type Server } from 'node:net';
import ssh2 from 'ssh2';
import type { PersonaView } from '../core/persona.ts';
import type { ShellFactory, ShellOptions, ShellSession } from '../core/ports.ts';
import { defaultSshLimits, handleSsh, type SshContext, type SshLimits } from '../protocols/ssh/server-session.ts';
import { FakeDownloads } from './fake-downloads.ts';
import { RecordingEmitter } from './recording-emitter.ts';
import { busyboxPersona, MemoryRecording } from './telnet-harness.ts';

/** Lines it ran; `exit N` ends with status N, `false` sets 1, anything unknown 127. */
export class StatusShells implements ShellFactory {
  readonly lines: string[] = [];
  closed = 0;
  create(options: ShellOptions): ShellSession & { exitStatus(): number } {
    let status = 0;
    return {
      runLine: async (line) => {
        this.lines.push(line);
        for (const part of line.split(';').map((p) => p.trim())) {
          const [name, ...args] = part.split(/\s+/);
          status = 0;
          if (name === 'exit') {
            status = Number(args[0] ?? 0) & 0xff;
            return 'exit';
          }
          if (name === 'echo') options.io.write(`${args.join(' ')}\n`);
          else if (name === 'false') status = 1;
          else if (name === 'uname') options.io.write('Linux\n');
          else if (name) {
            options.io.write(`-sh: ${name}: not found\n`);
            status = 127;
          }
        }
        return 'continue';
      },
      prompt: () => `${options.username}@${options.persona.hostname}:~# `,
      exitStatus: () => status,
      close: async () => {
        this.closed++;
      },
    };
  }
}

export interface SshSession {
  readonly events: RecordingEmitter;
  readonly recording: MemoryRecording;
  readonly done: Promise<void>;
}

export interface SshTestServer {
  readonly port: number;
  readonly sessions: SshSession[];
  readonly shells: StatusShells;
  /** Resolves when every session so far has ended. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** One ed25519 host key, made once per test file (ssh2 sometimes writes one it cannot read back). */
export function testHostKey(): Buffer {
  for (;;) {
    const key = ssh2.utils.generateKeyPairSync('ed25519').private;
    if (!(ssh2.utils.parseKey(key) instanceof Error)) return Buffer.from(key);
  }
}

export interface SshServerOptions {
  readonly persona?: PersonaView;
  readonly limits?: Partial<SshLimits>;
  readonly context?: Partial<Omit<SshContext, 'events' | 'recording' | 'limits'>>;
}

export async function startSshServer(options: SshServerOptions = {}): Promise<SshTestServer> {
  const persona = options.persona ?? busyboxPersona({ motd: 'Welcome to the camera\n' });
  const shells = new StatusShells();
  const hostKey = testHostKey();
  const sessions: SshSession[] = [];
  const server: Server = createServer((socket) => {
    const events = new RecordingEmitter();
    const recording = new MemoryRecording();
    const done = handleSsh(socket, {
      persona,
      events,
      shells,
      auth: ({ username, password }) => persona.credentials.accepted.some((c) => c.username === username && c.password === password),
      capture: events,
      downloads: new FakeDownloads(),
      hostKeys: [hostKey],
      recording,
      clock: { now: () => Date.now() },
      limits: { ...defaultSshLimits, ...options.limits },
      authFailureDelayMs: 0,
      ...options.context,
    });
    sessions.push({ events, recording, done });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    sessions,
    shells,
    settled: async () => {
      await Promise.all(sessions.map((s) => s.done));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
