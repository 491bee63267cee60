// Runs handleTelnet over an in-memory Duplex pair with a fake shell, a recording emitter and an
// in-memory asciicast writer, so Telnet session tests read as client scripts.
import { FakeDownloads } from './fake-downloads.ts';
import type { Duplex } from 'node:stream';
import { handleTelnet, defaultTelnetLimits } from '../protocols/telnet/session.ts';
import type { TelnetContext, TelnetLimits } from '../protocols/telnet/session.ts';
import type { PersonaView, TelnetPersona } from '../core/persona.ts';
import type { RecordingWriter, ShellFactory, ShellOptions } from '../core/ports.ts';
import { collect, createDuplexPair } from './duplex-pair.ts';
import { RecordingEmitter } from './recording-emitter.ts';
import { testPersona } from './test-persona.ts';

/** A shell that knows `echo`, `exit`, `bin` (prints A, 0xFF, newline) and `sleep` (waits 50 ms). */
export class FakeShells implements ShellFactory {
  readonly lines: string[] = [];
  readonly users: string[] = [];
  closed = 0;
  create(options: ShellOptions): ReturnType<ShellFactory['create']> {
    this.users.push(options.username);
    return {
      runLine: async (line) => {
        this.lines.push(line);
        for (const part of line.split(';').map((p) => p.trim())) {
          const [name, ...args] = part.split(/\s+/);
          if (name === 'exit') return 'exit';
          if (name === 'echo') options.io.write(`${args.join(' ')}\n`);
          else if (name === 'bin') options.io.write(Uint8Array.of(0x41, 0xff, 0x0a));
          else if (name === 'sleep') await new Promise((r) => setTimeout(r, 50));
          else if (name) options.io.write(`-sh: ${name}: not found\n`);
        }
        return 'continue';
      },
      prompt: () => '$ ',
      exitStatus: () => 0,
      close: async () => {
        this.closed++;
        options.capture.capture('/tmp/left-behind', Uint8Array.of(1, 2, 3), 'session-end');
      },
    };
  }
}

export class MemoryRecording implements RecordingWriter {
  readonly lines: string[] = [];
  closed = false;
  discarded = false;
  append(line: string): void {
    this.lines.push(line);
  }
  async discard(): Promise<void> {
    this.closed = true;
    this.discarded = true;
  }
  async close(): Promise<{ path: string; bytes: number }> {
    this.closed = true;
    return { path: 'recordings/test.cast', bytes: this.lines.reduce((n, l) => n + l.length + 1, 0) };
  }
}

/** The BusyBox 1.35 device of fixtures/busybox-telnetd.ts, with no login delay. */
export function busyboxPersona(telnet: Partial<TelnetPersona> = {}, base: PersonaView = testPersona()): PersonaView {
  return {
    ...base,
    hostname: 'vm',
    telnet: {
      negotiation: Uint8Array.of(0xff, 0xfd, 0x01, 0xff, 0xfd, 0x1f, 0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03),
      greeting: '\r\r\n',
      loginPrompt: '{hostname} login: ',
      passwordPrompt: 'Password: ',
      loginIncorrect: 'Login incorrect\r\n',
      motd: '',
      loginFailureDelayMs: 0,
      maxLoginAttempts: 3,
      ...telnet,
    },
    credentials: { accepted: [{ username: 'root', password: 'xmhdipc' }], acceptAfterFailures: null },
  };
}

export interface TelnetRun {
  readonly client: Duplex;
  readonly server: Duplex;
  readonly out: ReturnType<typeof collect>;
  readonly events: RecordingEmitter;
  readonly shells: FakeShells;
  readonly recording: MemoryRecording;
  /** Resolves when handleTelnet resolves. */
  readonly done: Promise<void>;
  send(text: string | Uint8Array): void;
  /** Waits until the output (latin1) ends with or contains `pattern`. */
  waitFor(pattern: string | RegExp, timeoutMs?: number): Promise<string>;
}

export interface RunOptions {
  readonly persona?: PersonaView;
  readonly limits?: Partial<TelnetLimits>;
  readonly cursorPositionQuery?: boolean;
  readonly auth?: TelnetContext['auth'];
  readonly recordWithoutLogin?: boolean;
}

export function runTelnet(options: RunOptions = {}): TelnetRun {
  const { server, client } = createDuplexPair();
  const out = collect(client);
  const events = new RecordingEmitter();
  const shells = new FakeShells();
  const recording = new MemoryRecording();
  const persona = options.persona ?? busyboxPersona();
  const auth: TelnetContext['auth'] =
    options.auth ?? (({ username, password }) => persona.credentials.accepted.some((c) => c.username === username && c.password === password));
  const done = handleTelnet(server, {
    persona,
    events,
    shells,
    auth,
    capture: events,
    downloads: new FakeDownloads(),
    recording,
    clock: { now: () => Date.now() },
    limits: { ...defaultTelnetLimits, ...options.limits },
    ...(options.cursorPositionQuery === undefined ? {} : { cursorPositionQuery: options.cursorPositionQuery }),
    ...(options.recordWithoutLogin === undefined ? {} : { recordWithoutLogin: options.recordWithoutLogin }),
  });
  return {
    client,
    server,
    out,
    events,
    shells,
    recording,
    done,
    send: (text) => client.write(typeof text === 'string' ? Buffer.from(text, 'latin1') : text),
    waitFor: (pattern, timeoutMs) => out.waitFor(pattern, timeoutMs),
  };
}

/** Logs in as root on the busybox persona and waits for the first shell prompt. */
export async function loggedIn(options: RunOptions = {}): Promise<TelnetRun> {
  const run = runTelnet(options);
  await run.waitFor('login: ');
  run.send('root\r\n');
  await run.waitFor('Password: ');
  run.send('xmhdipc\r\n');
  await run.waitFor('$ ');
  return run;
}
