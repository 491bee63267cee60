// The interface the interpreter offers to builtins and simple-command dispatch, so those files
// depend on this contract rather than on the interpreter (no import cycles).
import type { OutputStream } from '../command.ts';
import type { Command, List } from '../parser/ast.ts';
import type { ExpandHooks } from './expand.ts';
import type { Shell, ShellMode } from './runtime.ts';
import type { Fds, InputSource } from './streams.ts';

export interface Executor {
  runList(shell: Shell, list: List, fds: Fds): Promise<number>;
  runCommand(shell: Shell, command: Command, fds: Fds): Promise<number>;
  /** Runs source text in this shell (eval, `.`); syntax errors print and give status 2. */
  runSource(shell: Shell, source: string, fds: Fds): Promise<number>;
  /** Runs source in a child shell (sh -c, scripts) with its own $0 and positional parameters. */
  runScript(shell: Shell, source: string, argv: readonly string[], fds: Fds, mode: ShellMode): Promise<number>;
  /** Runs argv as a command (functions, builtins, PATH), as `command` and `eval` need. */
  runArgv(shell: Shell, argv: readonly string[], fds: Fds): Promise<number>;
  /** What a name would run as, for `type` and `command -v`. */
  describe(shell: Shell, name: string): CommandKind;
  hooks(shell: Shell, fds: Fds): ExpandHooks;
}

export type CommandKind =
  | { readonly kind: 'special' | 'builtin' | 'function' | 'alias' | 'keyword' }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'none' };

export interface BuiltinContext {
  readonly argv: readonly string[];
  readonly shell: Shell;
  readonly fds: Fds;
  readonly stdin: InputSource;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly exec: Executor;
  /** Prints `sh: NAME: [line N: ]message` as ash does for a builtin's errors. */
  error(message: string): void;
}

export type Builtin = (ctx: BuiltinContext) => number | Promise<number>;

export interface BuiltinEntry {
  readonly run: Builtin;
  /** POSIX special builtins: assignments before them persist, and they win over functions. */
  readonly special: boolean;
}
