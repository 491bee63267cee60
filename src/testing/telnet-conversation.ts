// Records a conversation with hachi's emulated BusyBox device (handleTelnet, same bytes as the real
// telnetd + login + ash) as ordered client/device chunks, to feed relay observers in tests.
import { handleTelnet, defaultTelnetLimits } from '../protocols/telnet/session.ts';
import type { ShellFactory } from '../core/ports.ts';
import { createDuplexPair } from './duplex-pair.ts';
import { FakeDownloads } from './fake-downloads.ts';
import { RecordingEmitter } from './recording-emitter.ts';
import { MemoryRecording, busyboxPersona } from './telnet-harness.ts';

export interface ConversationStep {
  readonly from: 'client' | 'device';
  readonly bytes: Uint8Array;
}

/** Send `send` (latin1; omitted: send nothing), then wait until the device's reply contains `until`. */
export interface ScriptStep {
  readonly send?: string;
  readonly until: string;
}

const CPUINFO =
  'system type\t\t: MT7621\nmachine\t\t\t: ZBT-WE1326\nprocessor\t\t: 0\ncpu model\t\t: MIPS 1004Kc V2.15\n' +
  'BogoMIPS\t\t: 586.13\nwait instruction\t: yes\nisa\t\t\t: mips1 mips2 mips32r1 mips32r2\n\n';
const UNAME = 'Linux vm 4.14.180 #0 SMP Thu May 14 15:46:52 2020 mips GNU/Linux\n';

/** A root shell with prompt "# " that knows uname -a, cat /proc/cpuinfo, echo and exit. */
export const deviceShells: ShellFactory = {
  create: (options) => ({
    runLine: async (line) => {
      const [name, ...args] = line.trim().split(/\s+/);
      if (name === 'exit') return 'exit';
      if (line.trim() === 'uname -a') options.io.write(UNAME);
      else if (line.trim() === 'cat /proc/cpuinfo') options.io.write(CPUINFO);
      else if (name === 'echo') options.io.write(`${args.join(' ')}\n`);
      else options.io.write(`-sh: ${name ?? ''}: not found\n`);
      return 'continue';
    },
    prompt: () => '# ',
    exitStatus: () => 0,
    close: async () => undefined,
  }),
};

export const deviceOutputs = { uname: UNAME, cpuinfo: CPUINFO } as const;

export interface RecordedConversation {
  readonly steps: readonly ConversationStep[];
  /** What hachi's own session reported (auth.attempt, command.input ...): the truth to compare with. */
  readonly events: RecordingEmitter;
}

export async function recordConversation(script: readonly ScriptStep[], timeoutMs = 2000): Promise<RecordedConversation> {
  const { server, client } = createDuplexPair();
  const events = new RecordingEmitter();
  const steps: ConversationStep[] = [];
  let pending: Buffer[] = [];
  let wake: (() => void) | null = null;
  client.on('data', (chunk: Buffer) => {
    pending.push(chunk);
    wake?.();
  });
  const persona = busyboxPersona();
  const done = handleTelnet(server, {
    persona,
    events,
    shells: deviceShells,
    auth: ({ username, password }) => persona.credentials.accepted.some((c) => c.username === username && c.password === password),
    capture: events,
    downloads: new FakeDownloads(),
    recording: new MemoryRecording(),
    clock: { now: () => Date.now() },
    limits: defaultTelnetLimits,
  });
  let closed = false;
  void done.then(() => {
    closed = true;
    wake?.();
  });
  const flushDevice = (): void => {
    if (pending.length > 0) steps.push({ from: 'device', bytes: new Uint8Array(Buffer.concat(pending)) });
    pending = [];
  };
  for (const step of script) {
    flushDevice();
    if (step.send !== undefined) {
      const bytes = Buffer.from(step.send, 'latin1');
      steps.push({ from: 'client', bytes: new Uint8Array(bytes) });
      client.write(bytes);
    }
    const deadline = Date.now() + timeoutMs;
    while (!Buffer.concat(pending).toString('latin1').includes(step.until) && !closed) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(step.until)}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 20);
      });
      wake = null;
    }
  }
  // Let the session finish what it writes after the last reply (the close after `exit`).
  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 50))]);
  flushDevice();
  client.destroy();
  await done;
  return { steps, events };
}

/** A bot against hachi's emulated BusyBox: a wrong password, the right one, two commands, exit. */
export const wrongThenRightThenTwoCommands: readonly ScriptStep[] = [
  { until: 'login: ' },
  { send: 'admin\r\n', until: 'Password: ' },
  { send: 'admin\r\n', until: 'login: ' },
  { send: 'root\r\n', until: 'Password: ' },
  { send: 'xmhdipc\r\n', until: '# ' },
  { send: 'uname -a\r\n', until: '\r\n# ' },
  { send: 'cat /proc/cpuinfo\r\n', until: '\r\n# ' },
  { send: 'exit\r\n', until: '\r\n' },
];
