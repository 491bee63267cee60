// The state one running shell carries (vars, positional params, functions, mode) plus what the
// whole session shares, the control-flow signals, and ash's error-message prefix rules.
import type { Command, DeviceContext, ShellState } from '../command.ts';
import type { Command as AstCommand } from '../parser/ast.ts';
import { newBudget, type LineBudget } from './streams.ts';

/** Commands the shell can run, by applet name (the registry in commands/index.ts). */
export type CommandRegistry = Readonly<Record<string, Command>>;

/** What every shell of one session shares. */
export interface SessionEnv extends DeviceContext {
  readonly commands: CommandRegistry;
  /** `$$` of the login shell. */
  readonly pid: number;
  /** The line being run, for events. */
  line: string;
  budget: LineBudget;
  /** Nesting of sh -c, scripts, $(...), eval and function calls. */
  depth: number;
  nextPid: number;
}

/** How ash prints errors: interactive shells omit `line N:`; `sh -c` counts lines from 0. */
export type ShellMode = 'interactive' | 'command' | 'file';

export interface Shell {
  readonly env: SessionEnv;
  readonly state: ShellState;
  positional: string[];
  readonly arg0: string;
  readonly mode: ShellMode;
  readonly functions: Map<string, AstCommand>;
  readonly aliases: Map<string, string>;
  readonly traps: Map<string, string>;
  /** Saved values for `local`, innermost function first. */
  readonly localFrames: Map<string, string | undefined>[];
  umask: number;
  lineNo: number;
  lastBackgroundPid: number | null;
  options: { noglob: boolean; errexit: boolean; nounset: boolean; xtrace: boolean };
  /** Loops enclosing the current command, for break/continue. */
  loopDepth: number;
  /** Function calls in progress, kept across subshells so recursion through pipes is bounded. */
  funcDepth: number;
  /** Above 0 while running an if/while condition or a non-final && || part: `set -e` is off. */
  errexitOff: number;
  /** `getopts` position: argument index (OPTIND) and offset inside a grouped `-abc`, as ash keeps. */
  getopts: { ind: number; off: number };
  /** `read` at the terminal: the next typed line is its input rather than a command. */
  pendingRead: PendingRead | null;
}

export interface PendingRead {
  readonly names: readonly string[];
  readonly raw: boolean;
  readonly prompt: string;
}

export function createSessionEnv(parts: Omit<SessionEnv, 'line' | 'budget' | 'depth' | 'nextPid'>): SessionEnv {
  return { ...parts, line: '', budget: newBudget(), depth: 0, nextPid: parts.pid + 1 };
}

export function createShell(env: SessionEnv, state: ShellState, arg0: string, mode: ShellMode, positional: string[] = []): Shell {
  return {
    env,
    state,
    positional,
    arg0,
    mode,
    functions: new Map(),
    aliases: new Map(),
    traps: new Map(),
    localFrames: [],
    umask: 0o022,
    lineNo: 0,
    lastBackgroundPid: null,
    options: { noglob: false, errexit: false, nounset: false, xtrace: false },
    loopDepth: 0,
    funcDepth: 0,
    errexitOff: 0,
    getopts: { ind: 1, off: -1 },
    pendingRead: null,
  };
}

export function cloneState(state: ShellState): ShellState {
  return {
    cwd: state.cwd,
    user: state.user,
    uid: state.uid,
    vars: new Map(state.vars),
    exported: new Set(state.exported),
    lastStatus: state.lastStatus,
    exitRequested: false,
  };
}

/** A subshell: a copy of everything, so nothing it changes leaks back (like ash's fork). */
export function forkShell(shell: Shell, overrides?: { arg0?: string; mode?: ShellMode; positional?: string[] }): Shell {
  return {
    ...shell,
    state: cloneState(shell.state),
    positional: overrides?.positional ?? [...shell.positional],
    arg0: overrides?.arg0 ?? shell.arg0,
    mode: overrides?.mode ?? shell.mode,
    functions: new Map(shell.functions),
    aliases: new Map(shell.aliases),
    traps: new Map(shell.traps),
    localFrames: [],
    options: { ...shell.options },
    loopDepth: overrides ? 0 : shell.loopDepth,
    getopts: { ...shell.getopts },
    pendingRead: null,
  };
}

/** `sh: cd: line 3: ` — the prefix ash puts before an error, given the running builtin if any. */
export function errorPrefix(shell: Shell, builtin: string | null): string {
  const line = `line ${shell.lineNo + (shell.mode === 'file' ? 1 : 0)}: `;
  if (builtin !== null) return `${shell.arg0}: ${builtin}: ${shell.mode === 'interactive' ? '' : line}`;
  return `${shell.arg0}: ${shell.mode === 'file' ? line : ''}`;
}

export class ExitSignal extends Error {
  readonly status: number;
  constructor(status: number) {
    super('exit');
    this.status = status;
  }
}

export class LoopSignal extends Error {
  readonly kind: 'break' | 'continue';
  levels: number;
  constructor(kind: 'break' | 'continue', levels: number) {
    super(kind);
    this.kind = kind;
    this.levels = levels;
  }
}

export class ReturnSignal extends Error {
  readonly status: number;
  constructor(status: number) {
    super('return');
    this.status = status;
  }
}

/** Abandons the rest of the command line (ash's "raise error"); the message is already printed. */
export class ShellAbort extends Error {
  readonly status: number;
  constructor(status = 2) {
    super('abort');
    this.status = status;
  }
}
