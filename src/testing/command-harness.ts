// Runs one shell command (from the commands registry) against a fake CommandContext: a small
// persona, a copy-on-write VFS and a RecordingEmitter. Returns what it printed and recorded.
import type { PersonaView } from '../core/persona.ts';
import type { DownloadPort } from '../core/ports.ts';
import { FakeDownloads } from './fake-downloads.ts';
import type { Command, CommandContext, ShellLimits, ShellState } from '../shell/command.ts';
import { commands } from '../shell/commands/index.ts';
import { createCowVfs } from '../shell/vfs/cow-vfs.ts';
import type { Vfs } from '../shell/vfs/vfs.ts';
import { RecordingEmitter } from './recording-emitter.ts';
import { testMtime, testPersona } from './test-persona.ts';

export interface RunOptions {
  readonly stdin?: string | Uint8Array;
  readonly stdinIsTerminal?: boolean;
  readonly stdoutIsTerminal?: boolean;
  readonly line?: string;
}

export interface CommandResult {
  readonly stdout: string;
  readonly stdoutBytes: Uint8Array;
  readonly stderr: string;
  readonly status: number;
}

export interface Harness {
  readonly fs: Vfs;
  readonly persona: PersonaView;
  readonly emitter: RecordingEmitter;
  readonly state: ShellState;
  readonly clock: { now(): number; advance(ms: number): void };
  /** Scripts handed to ctx.runScript (sh -c, sh FILE). */
  readonly scripts: { source: string; argv: readonly string[] }[];
  run(argv: readonly string[], options?: RunOptions): Promise<CommandResult>;
}

export const testLimits: ShellLimits = {
  maxFileBytes: 1 << 20,
  maxSessionWriteBytes: 4 << 20,
  maxOutputBytes: 1 << 20,
  maxLoopIterations: 1000,
  maxRecursion: 8,
};

const registry: Readonly<Record<string, Command>> = commands;

export function createHarness(options: { persona?: PersonaView; cwd?: string; user?: string; uid?: number; downloads?: DownloadPort } = {}): Harness {
  const downloads = options.downloads ?? new FakeDownloads();
  const persona = options.persona ?? testPersona();
  let now = testMtime + 3_600_000;
  // The device booted persona.uptimeSeconds before the harness started.
  const bootedAt = now - persona.uptimeSeconds * 1000;
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const fs = createCowVfs(persona.fs, { maxFileBytes: testLimits.maxFileBytes, maxSessionWriteBytes: testLimits.maxSessionWriteBytes, maxFiles: 1000 }, clock);
  const emitter = new RecordingEmitter();
  const state: ShellState = {
    cwd: options.cwd ?? '/root',
    user: options.user ?? 'root',
    uid: options.uid ?? 0,
    vars: new Map(Object.entries(persona.shell.env)),
    exported: new Set(Object.keys(persona.shell.env)),
    lastStatus: 0,
    exitRequested: false,
  };
  const scripts: { source: string; argv: readonly string[] }[] = [];
  const encoder = new TextEncoder();

  const run = async (argv: readonly string[], runOptions: RunOptions = {}): Promise<CommandResult> => {
    const out: Uint8Array[] = [];
    const err: Uint8Array[] = [];
    const sink = (chunks: Uint8Array[]) => ({ write: (data: string | Uint8Array) => void chunks.push(typeof data === 'string' ? encoder.encode(data) : data.slice()) });
    const stdin = typeof runOptions.stdin === 'string' ? encoder.encode(runOptions.stdin) : (runOptions.stdin ?? new Uint8Array(0));
    const makeContext = (args: readonly string[]): CommandContext => ({
      argv: args,
      stdin,
      stdinIsTerminal: runOptions.stdinIsTerminal ?? runOptions.stdin === undefined,
      stdoutIsTerminal: runOptions.stdoutIsTerminal ?? false,
      stdout: sink(out),
      stderr: sink(err),
      state,
      fs,
      persona,
      events: emitter,
      capture: emitter,
      downloads,
      clock,
      bootedAt,
      limits: testLimits,
      line: runOptions.line ?? argv.join(' '),
      runScript: (source, scriptArgv) => {
        scripts.push({ source, argv: scriptArgv });
        return Promise.resolve(0);
      },
      runCommand: (inner) => invoke(inner),
    });
    const invoke = async (args: readonly string[]): Promise<number> => {
      const name = args[0] ?? '';
      const command = registry[name.slice(name.lastIndexOf('/') + 1)] ?? registry.__applet_fallback__;
      if (!command) throw new Error(`no command ${name}`);
      return command(makeContext(args));
    };
    const status = await invoke(argv);
    const stdoutBytes = Buffer.concat(out);
    return { stdout: new TextDecoder().decode(stdoutBytes), stdoutBytes, stderr: new TextDecoder().decode(Buffer.concat(err)), status };
  };

  return { fs, persona, emitter, state, clock, scripts, run };
}

/** One command in a fresh harness. */
export async function runCommand(argv: readonly string[], options: RunOptions = {}): Promise<CommandResult & { harness: Harness }> {
  const harness = createHarness();
  const result = await harness.run(argv, options);
  return { ...result, harness };
}
