// A small device persona and a shell session over it, for shell tests: run lines, read the output
// (latin1, so bytes map 1:1 to chars) and inspect recorded events and captured files.
import type { FsNode, FsTree, PersonaView } from '../core/persona.ts';
import type { DownloadPort, ShellOutcome, ShellSession } from '../core/ports.ts';
import { FakeDownloads } from './fake-downloads.ts';
import type { Command, ShellLimits } from '../shell/command.ts';
import { createShellFactory } from '../shell/shell-session.ts';
import { createCowVfs } from '../shell/vfs/cow-vfs.ts';
import { RecordingEmitter } from './recording-emitter.ts';
import { testPersona as baseTestPersona } from './test-persona.ts';

const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 40, 0]);
const dir = (mode = 0o755): FsNode => ({ kind: 'dir', mode, uid: 0, gid: 0, mtime: 0 });
const file = (text: string | Uint8Array, mode = 0o644): FsNode => ({ kind: 'file', data: typeof text === 'string' ? Buffer.from(text, 'latin1') : text, mode, uid: 0, gid: 0, mtime: 0 });
const link = (target: string): FsNode => ({ kind: 'symlink', target, mtime: 0 });

export function testTree(extra: Readonly<Record<string, FsNode>> = {}): FsTree {
  const tree = new Map<string, FsNode>([
    ['/', dir()],
    ['/bin', dir()],
    ['/bin/busybox', file(elf, 0o755)],
    ['/bin/sh', link('busybox')],
    ['/bin/ls', link('busybox')],
    ['/bin/cat', link('/bin/busybox')],
    ['/bin/chmod', link('busybox')],
    ['/bin/rm', link('busybox')],
    ['/sbin', dir()],
    ['/usr', dir()],
    ['/usr/bin', dir()],
    ['/usr/sbin', dir()],
    ['/dev', dir()],
    ['/dev/null', { kind: 'device', device: 'null', mode: 0o666, mtime: 0 }],
    ['/etc', dir()],
    ['/etc/passwd', file('root:x:0:0:root:/root:/bin/sh\nadmin:x:1000:1000:admin:/home/admin:/bin/sh\n')],
    ['/etc/hosts', file('127.0.0.1 localhost\n')],
    ['/home', dir()],
    ['/home/admin', dir()],
    ['/root', dir(0o700)],
    ['/tmp', dir(0o1777)],
    ['/var', dir()],
  ]);
  for (const [path, node] of Object.entries(extra)) tree.set(path, node);
  return tree;
}

/** The shared test camera (test-persona.ts) with this harness's tree and a minimal environment. */
export function testPersona(fs: FsTree = testTree()): PersonaView {
  const base = baseTestPersona(fs);
  return {
    ...base,
    hostname: 'cam.local',
    busybox: { ...base.busybox, applets: ['sh', 'ls', 'cat', 'echo'] },
    shell: { prompt: '\\u@\\h:\\w\\$ ', env: { PATH: '/bin:/sbin:/usr/bin:/usr/sbin' }, home: '/root' },
  };
}

export const testLimits: ShellLimits = { maxFileBytes: 1 << 20, maxSessionWriteBytes: 4 << 20, maxOutputBytes: 1 << 20, maxLoopIterations: 10_000, maxRecursion: 16 };

export interface TestShell {
  readonly session: ShellSession;
  readonly recorder: RecordingEmitter;
  /** Errors the session swallowed (interpreter bugs); tests expect none. */
  readonly internalErrors: unknown[];
  /** Runs one line and returns what it printed (latin1). */
  run(line: string): Promise<string>;
  runWithOutcome(line: string): Promise<{ output: string; outcome: ShellOutcome }>;
}

export function createTestShell(options: { commands?: Readonly<Record<string, Command>>; limits?: Partial<ShellLimits>; tree?: FsTree; username?: string; commandOutputs?: Readonly<Record<string, string>>; downloads?: DownloadPort; persona?: PersonaView } = {}): TestShell {
  const recorder = new RecordingEmitter();
  const limits = { ...testLimits, ...options.limits };
  const persona = options.persona ?? { ...testPersona(options.tree ?? testTree()), commandOutputs: options.commandOutputs ?? {} };
  const clock = { now: () => 1_700_000_000_000 };
  const factory = createShellFactory({
    commands: options.commands ?? {},
    clock,
    limits,
    onInternalError: (error) => internalErrors.push(error),
    createVfs: (p) => createCowVfs(p.fs, { maxFileBytes: limits.maxFileBytes, maxSessionWriteBytes: limits.maxSessionWriteBytes, maxFiles: 1000 }, clock),
  });
  const chunks: Uint8Array[] = [];
  const internalErrors: unknown[] = [];
  const session = factory.create({ persona, events: recorder, capture: recorder, downloads: options.downloads ?? new FakeDownloads(), io: { write: (data) => chunks.push(typeof data === 'string' ? Buffer.from(data, 'latin1') : data) }, username: options.username ?? 'root' });
  const runWithOutcome = async (line: string): Promise<{ output: string; outcome: ShellOutcome }> => {
    chunks.length = 0;
    const outcome = await session.runLine(line);
    return { output: Buffer.concat(chunks).toString('latin1'), outcome };
  };
  return { session, recorder, internalErrors, runWithOutcome, run: async (line) => (await runWithOutcome(line)).output };
}
