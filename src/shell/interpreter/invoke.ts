// Runs one simple command: expansion, assignments, redirections, then ash's lookup order —
// special builtins, functions, builtins, registry builtins (echo, printf...), PATH in the VFS.
// Files found run as applets (links to /bin/busybox), as scripts, or are recorded exec attempts.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { CommandContext, OutputStream, ShellLimits, ShellState } from '../command.ts';
import type { FsNode, PersonaView } from '../../core/persona.ts';
import type { CapturePort, Clock, DownloadPort, SessionEmitter } from '../../core/ports.ts';
import type { SimpleCommand } from '../parser/ast.ts';
import { VfsError, errnoText, type Vfs } from '../vfs/vfs.ts';
import { findBuiltin, registryBuiltins } from './builtins/index.ts';
import type { BuiltinContext, CommandKind, Executor } from './executor.ts';
import { expandString, expandWords } from './expand.ts';
import { applyRedirects } from './redirect.ts';
import { ExitSignal, LoopSignal, ReturnSignal, ShellAbort, errorPrefix, type Shell } from './runtime.ts';
import { LimitExceeded, TerminalOutput, inputFrom, outputOf, trip, type Fds, type InputSource } from './streams.ts';
import { bytesToShell } from './text-bytes.ts';

/** Commands one line may run, whatever its loops: bounds fork bombs such as `f() { f|f; }`. */
const MIN_COMMANDS_PER_LINE = 10_000;
const MAX_FUNCTION_DEPTH = 100;
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'in', 'while', 'until', 'do', 'done', 'case', 'esac', '{', '}', '!']);
const DEFAULT_PATH = '/bin:/sbin:/usr/bin:/usr/sbin';

export async function countCommand(shell: Shell): Promise<void> {
  const budget = shell.env.budget;
  if (budget.tripped) throw budget.tripped;
  budget.commands += 1;
  const max = Math.max(MIN_COMMANDS_PER_LINE, 4 * shell.env.limits.maxLoopIterations);
  if (budget.commands > max) throw trip(budget, new LimitExceeded('commands', max, 'too many commands in one line'));
  // Long lines share the event loop with other sessions.
  if (budget.commands % 256 === 0) await yieldToLoop();
}

export async function runSimple(exec: Executor, shell: Shell, cmd: SimpleCommand, fds: Fds): Promise<number> {
  await countCommand(shell);
  shell.lineNo = cmd.line;
  const base = exec.hooks(shell, fds);
  let substitutions = 0;
  const hooks = { ...base, commandSub: (body: Parameters<typeof base.commandSub>[0]) => ((substitutions += 1), base.commandSub(body)) };
  const argv = await expandWords(shell, hooks, cmd.words);
  const assigns: [string, string][] = [];
  for (const assign of cmd.assigns) assigns.push([assign.name, await expandString(shell, hooks, assign.value)]);
  if (argv.length === 0) {
    for (const [name, value] of assigns) shell.state.vars.set(name, value);
    if (cmd.redirs.length > 0 && (await applyRedirects(shell, hooks, cmd.redirs, fds, outputOf(fds, 2))) === null) return 1;
    return substitutions > 0 ? shell.state.lastStatus : 0;
  }
  const table = cmd.redirs.length > 0 ? await applyRedirects(shell, hooks, cmd.redirs, fds, outputOf(fds, 2)) : fds;
  if (table === null) return 1;
  if (argv.length === 1 && argv[0] === 'exec' && table !== fds && fds instanceof Map) {
    // `exec >file` rewires the shell itself: the enclosing list's fd table takes the change.
    for (const fd of [...fds.keys()]) if (!table.has(fd)) fds.delete(fd);
    for (const [fd, entry] of table) fds.set(fd, entry);
  }
  if (shell.options.xtrace) outputOf(table, 2).write(`+ ${argv.join(' ')}\n`);
  return runArgv(exec, shell, argv, table, assigns);
}

export async function runArgv(exec: Executor, shell: Shell, argv: readonly string[], fds: Fds, assigns: readonly [string, string][] = []): Promise<number> {
  const name = argv[0]!;
  const builtin = findBuiltin(name);
  if (builtin?.special) {
    for (const [key, value] of assigns) shell.state.vars.set(key, value);
    return builtin.run(builtinContext(exec, shell, argv, fds));
  }
  const fn = shell.functions.get(name);
  if (fn !== undefined) {
    for (const [key, value] of assigns) shell.state.vars.set(key, value);
    return callFunction(exec, shell, fn, argv, fds);
  }
  return withTempVars(shell, assigns, async () => {
    if (builtin) return builtin.run(builtinContext(exec, shell, argv, fds));
    if (registryBuiltins.has(name) && Object.hasOwn(shell.env.commands, name)) return runApplet(exec, shell, name, argv, fds);
    const path = name.includes('/') ? shell.env.fs.resolve(shell.state.cwd, name) : searchPath(shell, name);
    if (path === null) return notFound(shell, name, fds);
    return runPath(exec, shell, path, argv, fds);
  });
}

function builtinContext(exec: Executor, shell: Shell, argv: readonly string[], fds: Fds): BuiltinContext {
  const stderr = outputOf(fds, 2);
  return {
    argv,
    shell,
    fds,
    stdin: inputFrom(fds),
    stdout: outputOf(fds, 1),
    stderr,
    exec,
    error: (message) => stderr.write(`${errorPrefix(shell, argv[0]!)}${message}\n`),
  };
}

async function withTempVars(shell: Shell, assigns: readonly [string, string][], run: () => Promise<number>): Promise<number> {
  if (assigns.length === 0) return run();
  const { vars, exported } = shell.state;
  const saved = assigns.map(([name]) => [name, vars.get(name), exported.has(name)] as const);
  for (const [name, value] of assigns) {
    vars.set(name, value);
    exported.add(name);
  }
  try {
    return await run();
  } finally {
    for (const [name, value, wasExported] of saved.reverse()) {
      if (value === undefined) vars.delete(name);
      else vars.set(name, value);
      if (!wasExported) exported.delete(name);
    }
  }
}

async function callFunction(exec: Executor, shell: Shell, body: Parameters<Executor['runCommand']>[1], argv: readonly string[], fds: Fds): Promise<number> {
  if (shell.funcDepth >= MAX_FUNCTION_DEPTH) throw trip(shell.env.budget, new LimitExceeded('recursion', MAX_FUNCTION_DEPTH, 'function calls nested too deep'));
  const savedPositional = shell.positional;
  const savedLoopDepth = shell.loopDepth;
  const frame = new Map<string, string | undefined>();
  shell.positional = argv.slice(1);
  shell.localFrames.unshift(frame);
  shell.loopDepth = 0;
  shell.funcDepth += 1;
  try {
    return await exec.runCommand(shell, body, fds);
  } catch (error) {
    if (error instanceof ReturnSignal) return error.status;
    throw error;
  } finally {
    shell.positional = savedPositional;
    shell.loopDepth = savedLoopDepth;
    shell.funcDepth -= 1;
    shell.localFrames.shift();
    for (const [name, value] of frame) {
      if (value === undefined) shell.state.vars.delete(name);
      else shell.state.vars.set(name, value);
    }
  }
}

export function searchPath(shell: Shell, name: string): string | null {
  const fs = shell.env.fs;
  for (const dir of (shell.state.vars.get('PATH') ?? DEFAULT_PATH).split(':')) {
    const path = fs.resolve(shell.state.cwd, `${dir === '' ? '.' : dir}/${name}`);
    const node = fs.stat(path);
    if (node !== null && node.kind === 'file') return path;
  }
  return null;
}

function notFound(shell: Shell, name: string, fds: Fds): number {
  outputOf(fds, 2).write(`${errorPrefix(shell, null)}${name}: not found\n`);
  shell.env.events.emit('command.unknown', { command: name, line: shell.env.line });
  return 127;
}

async function runPath(exec: Executor, shell: Shell, path: string, argv: readonly string[], fds: Fds): Promise<number> {
  const fs = shell.env.fs;
  const node = fs.stat(path);
  if (node === null) return notFound(shell, argv[0]!, fds);
  if (node.kind !== 'file' || (node.mode & 0o111) === 0) {
    outputOf(fds, 2).write(`${errorPrefix(shell, null)}${argv[0]!}: Permission denied\n`);
    return 126;
  }
  if (isBusybox(shell, path, node)) return runApplet(exec, shell, path.slice(path.lastIndexOf('/') + 1), argv, fds);
  if (isScript(node.data)) return exec.runScript(shell, bytesToShell(node.data), argv, fds, 'file');
  const sha256 = shell.env.capture.capture(path, node.data, 'exec');
  shell.env.events.emit('exec.attempt', { path, argv: [...argv], sha256, size: node.data.length });
  return 0;
}

function isBusybox(shell: Shell, path: string, node: Extract<FsNode, { kind: 'file' }>): boolean {
  const fs = shell.env.fs;
  const busybox = fs.stat('/bin/busybox');
  if (busybox?.kind !== 'file') return false;
  if (node === busybox || node.data === busybox.data) return true;
  let current = path;
  for (let hops = 0; hops < 16; hops++) {
    const link = fs.lstat(current);
    if (link?.kind !== 'symlink') break;
    current = fs.resolve(current.slice(0, current.lastIndexOf('/')) || '/', link.target);
  }
  return current === '/bin/busybox';
}

/** `#!` or text is run by the shell; ELF or other binary data is an execution attempt. */
function isScript(data: Uint8Array): boolean {
  if (data[0] === 0x23 && data[1] === 0x21) return true;
  if (data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46) return false;
  return !data.subarray(0, 1024).includes(0);
}

/** The persona's output for exactly this command line; the line is only built when a key could match. */
function fixedOutput(outputs: Readonly<Record<string, string>>, name: string, argv: readonly string[]): string | undefined {
  for (const key in outputs) {
    if (key === name ? argv.length === 1 : key.startsWith(`${name} `) && key === [name, ...argv.slice(1)].join(' ')) return outputs[key];
  }
  return undefined;
}

/**
 * What an applet sees. A class, not an object literal with a getter and closures, because one is
 * made for every command run (twenty per bot session) and the literal cost several µs each.
 */
class AppletContext implements CommandContext {
  readonly argv: readonly string[];
  readonly stdinIsTerminal: boolean;
  readonly stdoutIsTerminal: boolean;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly state: ShellState;
  readonly fs: Vfs;
  readonly persona: PersonaView;
  readonly events: SessionEmitter;
  readonly capture: CapturePort;
  readonly downloads: DownloadPort;
  readonly clock: Clock;
  readonly bootedAt: number;
  readonly limits: ShellLimits;
  readonly line: string;
  readonly #exec: Executor;
  readonly #shell: Shell;
  readonly #fds: Fds;
  readonly #src: InputSource;
  // Input counts as consumed only if the command looks at it, so `echo` inside
  // `while read ...; done < file` leaves the remaining lines to `read`.
  #consumed = false;

  constructor(exec: Executor, shell: Shell, argv: readonly string[], fds: Fds) {
    const { env } = shell;
    this.#exec = exec;
    this.#shell = shell;
    this.#fds = fds;
    this.#src = inputFrom(fds);
    this.argv = argv;
    this.stdinIsTerminal = this.#src.terminal;
    this.stdout = outputOf(fds, 1);
    this.stdoutIsTerminal = this.stdout instanceof TerminalOutput;
    this.stderr = outputOf(fds, 2);
    this.state = shell.state;
    this.fs = env.fs;
    this.persona = env.persona;
    this.events = env.events;
    this.capture = env.capture;
    this.downloads = env.downloads;
    this.clock = env.clock;
    this.bootedAt = env.bootedAt;
    this.limits = env.limits;
    this.line = env.line;
  }

  get stdin(): Uint8Array {
    this.#consumed = true;
    return this.#src.data.subarray(this.#src.pos);
  }

  runScript(source: string, scriptArgv: readonly string[]): Promise<number> {
    return this.#exec.runScript(this.#shell, source, scriptArgv, this.#fds, /^-?(\/bin\/)?(a?sh)$/.test(scriptArgv[0] ?? 'sh') ? 'command' : 'file');
  }

  runCommand(appletArgv: readonly string[]): Promise<number> {
    if (appletArgv.length === 0) return Promise.resolve(0);
    const first = appletArgv[0]!;
    return runApplet(this.#exec, this.#shell, first.slice(first.lastIndexOf('/') + 1), appletArgv, this.#fds);
  }

  /** After the command: input it looked at is used up. */
  release(): void {
    if (this.#consumed) this.#src.pos = this.#src.data.length;
  }
}

/** Runs a registry command (an applet) with the shell's streams; no PATH lookup. */
export async function runApplet(exec: Executor, shell: Shell, name: string, argv: readonly string[], fds: Fds): Promise<number> {
  // Behaviour that is data: the persona's fixed output for this exact command (e.g. `lsmod`)
  // wins over the generic emulation.
  const fixed = fixedOutput(shell.env.persona.commandOutputs, name, argv);
  if (fixed !== undefined) {
    outputOf(fds, 1).write(fixed);
    return 0;
  }
  const registry = shell.env.commands;
  const command = Object.hasOwn(registry, name) ? registry[name] : Object.hasOwn(registry, '__applet_fallback__') ? registry.__applet_fallback__ : undefined;
  if (command === undefined) {
    const builtin = findBuiltin(name);
    return builtin && !builtin.special ? builtin.run(builtinContext(exec, shell, argv, fds)) : 0;
  }
  const ctx = new AppletContext(exec, shell, argv, fds);
  const { env } = shell;
  let status: number;
  try {
    status = await command(ctx);
  } catch (error) {
    if (error instanceof LimitExceeded || error instanceof ExitSignal || error instanceof ShellAbort || error instanceof LoopSignal || error instanceof ReturnSignal) throw error;
    // A failing command must not take the session down; it answers as a failed applet would.
    if (error instanceof VfsError) ctx.stderr.write(`${argv[0]!}: ${error.path}: ${errnoText[error.errno]}\n`);
    status = 1;
  } finally {
    ctx.release();
  }
  if (env.budget.tripped) throw env.budget.tripped;
  return status;
}

export function describe(shell: Shell, name: string): CommandKind {
  if (KEYWORDS.has(name)) return { kind: 'keyword' };
  if (shell.aliases.has(name)) return { kind: 'alias' };
  const builtin = findBuiltin(name);
  if (builtin?.special) return { kind: 'special' };
  if (shell.functions.has(name)) return { kind: 'function' };
  if (builtin) return { kind: 'builtin' };
  if (registryBuiltins.has(name) && Object.hasOwn(shell.env.commands, name)) return { kind: 'builtin' };
  const path = name.includes('/') ? shell.env.fs.resolve(shell.state.cwd, name) : searchPath(shell, name);
  if (path !== null && shell.env.fs.stat(path)?.kind === 'file') return { kind: 'file', path: name.includes('/') ? name : path };
  return { kind: 'none' };
}
