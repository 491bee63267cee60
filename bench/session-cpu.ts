// CPU cost of one Mirai-style Telnet session inside hachi, without sockets or sinks: the same
// protocol, shell, filesystem, capture and recorder code as `hachi run`, driven over in-memory
// Duplex pairs. Run: `npx node bench/session-cpu.ts [sessions]`; add --cpu-prof to profile.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createCapture } from '../src/capture/capture.ts';
import { personaFileMatcher } from '../src/capture/persona-files.ts';
import { createIdGenerator } from '../src/core/ids.ts';
import type { HachiEvent } from '../src/core/events.ts';
import { loadPersonaPack } from '../src/personas/load-pack.ts';
import { handleTelnet, defaultTelnetLimits } from '../src/protocols/telnet/session.ts';
import { createAuthPolicy, createFailureCounts } from '../src/sessions/auth-policy.ts';
import { createSessionEmitter } from '../src/sessions/session-emitter.ts';
import { commands } from '../src/shell/commands/index.ts';
import { createShellFactory } from '../src/shell/shell-session.ts';
import { createCowVfs } from '../src/shell/vfs/cow-vfs.ts';
import { liveProcFiles } from '../src/shell/vfs/live-proc.ts';
import { indexTree } from '../src/shell/vfs/tree-index.ts';
import { createMemoryArtifactStore } from '../src/storage/artifact-memory-store.ts';
import { createDuplexPair } from '../src/testing/duplex-pair.ts';
import { miraiScript } from './mirai-script.ts';

const sessions = Number(process.argv[2] ?? 2000);
const persona = await loadPersonaPack(fileURLToPath(new URL('../personas/xm-ipc-hi3516d', import.meta.url)));
const clock = { now: () => Date.now() };
const ids = createIdGenerator({ now: clock.now, randomBytes: (n) => new Uint8Array(n).map(() => Math.floor(Math.random() * 256)) });
const tree = indexTree(persona.fs);
const limits = { maxFileBytes: 1 << 25, maxSessionWriteBytes: 1 << 26, maxOutputBytes: 1 << 22, maxLoopIterations: 100_000, maxRecursion: 32 };
const shells = createShellFactory({ commands, clock, limits, createVfs: (p, bootedAt) => createCowVfs(tree, { ...limits, maxFiles: 10_000 }, clock, liveProcFiles(bootedAt, clock)) });
const artifacts = createMemoryArtifactStore({ maxTotalBytes: 1 << 30 });
const failures = createFailureCounts();
const isPersonaFile = personaFileMatcher(persona);
let events = 0;
const port = { publish: (_event: HachiEvent) => void (events += 1) };
const recording = { append: (_line: string) => undefined, close: () => Promise.resolve({ path: 'x', bytes: 0 }), discard: () => Promise.resolve() };
const logger = { warn: () => undefined };
const steps = miraiScript();
const script = ['root\r\n', 'xc3511\r\n', ...steps.map((s) => `${s.line}\r\n`), 'exit\r\n'];

async function oneSession(): Promise<void> {
  const { server, client } = createDuplexPair();
  const sessionEvents = createSessionEmitter({ port, ids, clock, sensor: 'bench', fields: { protocol: 'telnet', mode: 'emulated', persona: persona.id, src: { ip: '127.0.0.2', port: 40000 }, dst: { ip: '127.0.0.1', port: 2323 } } });
  const auth = createAuthPolicy(persona.credentials, failures);
  let received = '';
  let waiting: { marker: string; resolve: () => void } | null = null;
  client.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
    if (waiting && received.includes(waiting.marker)) {
      received = '';
      const w = waiting;
      waiting = null;
      w.resolve();
    }
  });
  const until = (marker: string): Promise<void> =>
    received.includes(marker) ? Promise.resolve(void (received = '')) : new Promise((resolve) => (waiting = { marker, resolve }));
  const done = handleTelnet(server, {
    persona,
    events: sessionEvents,
    shells,
    capture: createCapture({ store: artifacts, events: sessionEvents, logger, isPersonaFile }),
    auth: ({ username, password }) => auth({ source: '127.0.0.2', username, password }),
    recording,
    downloads: { fetch: () => Promise.resolve({ outcome: 'disabled', body: null, statusLine: null, address: null }) },
    clock,
    limits: defaultTelnetLimits,
  });
  await until('login: ');
  client.write(script[0]!);
  await until('Password: ');
  client.write(script[1]!);
  await until('# ');
  for (let i = 0; i < steps.length; i++) {
    client.write(script[i + 2]!);
    await until(steps[i]!.until);
  }
  client.write('exit\r\n');
  await done;
}

for (let i = 0; i < 200; i++) await oneSession(); // warm-up
events = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < sessions; i++) await oneSession();
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
const digest = createHash('sha256').update(String(events)).digest('hex').slice(0, 8);
console.log(`session CPU: ${sessions} Mirai-style sessions, ${(cpuMs / sessions).toFixed(3)} ms CPU each (${(wall / sessions).toFixed(3)} ms wall), ${(events / sessions).toFixed(1)} events each [${digest}]`);
