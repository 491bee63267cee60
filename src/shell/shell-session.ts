// The ShellFactory port implemented with hachi's ash emulator: one login shell per attacker, over
// a per-session copy-on-write filesystem, writing output through the session's io.
import type { Clock, ShellFactory, ShellOptions, ShellOutcome, ShellSession } from '../core/ports.ts';
import type { PersonaView } from '../core/persona.ts';
import type { ShellLimits, ShellState } from './command.ts';
import type { Vfs } from './vfs/vfs.ts';
import { parse } from './parser/parser.ts';
import { ShellSyntaxError, defaultParseLimits } from './parser/syntax-error.ts';
import { assignRead } from './interpreter/builtins/read.ts';
import { Interpreter } from './interpreter/execute.ts';
import { ExitSignal, LoopSignal, ReturnSignal, ShellAbort, createSessionEnv, createShell, errorPrefix, type CommandRegistry, type Shell } from './interpreter/runtime.ts';
import { LimitExceeded, TerminalOutput, newBudget, terminalInput, type Fd } from './interpreter/streams.ts';
import { bytesToShell, inputToShell } from './interpreter/text-bytes.ts';

export interface ShellFactoryOptions {
  readonly commands: CommandRegistry;
  readonly clock: Clock;
  readonly limits: ShellLimits;
  /** A fresh per-session filesystem over the persona's tree (createCowVfs), given the boot time for live /proc files. */
  readonly createVfs: (persona: PersonaView, bootedAt: number) => Vfs;
  /** Told about interpreter bugs that were hidden from the attacker (tests assert none). */
  readonly onInternalError?: (error: unknown) => void;
  /** When hachi started (the devices booted uptimeSeconds before it); now when unset. A factory made per connection passes the sensor's. */
  readonly startedAt?: number;
}

/** Continuation input (an unfinished `if`, an open quote) is kept up to this many characters. */
const MAX_PENDING = 64 * 1024;

export function createShellFactory(factory: ShellFactoryOptions): ShellFactory {
  // The devices 'booted' persona.uptimeSeconds before hachi started; uptime grows from there.
  const startedAt = factory.startedAt ?? factory.clock.now();
  return { create: (options) => createSession(factory, options, startedAt) };
}

function createSession(factory: ShellFactoryOptions, options: ShellOptions, startedAt: number): ShellSession {
  const { persona, events, capture, downloads, io, username } = options;
  const bootedAt = startedAt - persona.uptimeSeconds * 1000;
  const fs = factory.createVfs(persona, bootedAt);
  const env = createSessionEnv({ fs, persona, events, capture, downloads, clock: factory.clock, bootedAt, limits: factory.limits, commands: factory.commands, pid: loginPid(persona, events.sessionId) });
  const shell = createShell(env, initialState(persona, fs, username), '-sh', 'interactive');
  const interpreter = new Interpreter();
  let pending: string | null = null;
  const persistentFds = new Map<number, Fd>();

  const runLine = async (rawLine: string): Promise<ShellOutcome> => {
    // command.input is the protocol's event (it knows what was typed); the shell only runs it.
    const line = inputToShell(rawLine);
    env.line = line;
    env.budget = newBudget();
    const out = new TerminalOutput((bytes) => io.write(bytes), factory.limits.maxOutputBytes, env.budget);
    const fds = new Map<number, Fd>([
      [0, { kind: 'in', src: terminalInput() }],
      [1, { kind: 'out', out }],
      [2, { kind: 'out', out }],
    ]);
    for (const [fd, entry] of persistentFds) fds.set(fd, entry);
    const waitingRead = shell.pendingRead;
    if (waitingRead !== null && pending === null) {
      shell.pendingRead = null;
      assignRead(shell, waitingRead, line);
      shell.state.lastStatus = 0;
      return 'continue';
    }
    const text = pending === null ? line : `${pending}\n${line}`;
    pending = null;
    try {
      let list;
      try {
        list = parse(text, defaultParseLimits, { aliases: shell.aliases });
      } catch (error) {
        if (!(error instanceof ShellSyntaxError)) throw error;
        if (error.incomplete && text.length < MAX_PENDING) {
          pending = text;
          return 'continue';
        }
        out.write(`${errorPrefix(shell, null)}syntax error: ${error.message}\n`);
        shell.state.lastStatus = 2;
        return 'continue';
      }
      await interpreter.runList(shell, list, fds);
    } catch (error) {
      if (error instanceof ExitSignal) {
        shell.state.lastStatus = await exitTrap(error.status, fds);
        return 'exit';
      }
      if (error instanceof ShellAbort) shell.state.lastStatus = error.status;
      else if (error instanceof LimitExceeded) {
        events.emit('session.limit', { limit: error.limit, max: error.max, detail: error.message });
        shell.state.lastStatus = 1;
      } else if (!(error instanceof LoopSignal || error instanceof ReturnSignal)) {
        // A bug must not end the attacker's session or reveal itself; the line just fails.
        shell.state.lastStatus = 1;
        factory.onInternalError?.(error);
      }
    }
    keepExecRedirects(fds, out);
    if (shell.state.exitRequested) {
      shell.state.lastStatus = await exitTrap(shell.state.lastStatus, fds);
      return 'exit';
    }
    return 'continue';
  };

  /** `exec 2>/dev/null` outlives its line; the per-line terminal streams are made afresh. */
  const keepExecRedirects = (fds: ReadonlyMap<number, Fd>, terminal: TerminalOutput): void => {
    persistentFds.clear();
    for (const [fd, entry] of fds) {
      const isTerminal = entry.kind === 'out' ? entry.out === terminal : entry.src.terminal;
      const standard = (fd === 0 && entry.kind === 'in') || ((fd === 1 || fd === 2) && entry.kind === 'out');
      if (!(isTerminal && standard)) persistentFds.set(fd, entry);
    }
  };

  /** `trap ... EXIT` runs as the login shell ends, writing to the terminal. */
  const exitTrap = async (status: number, fds: ReadonlyMap<number, Fd>): Promise<number> => {
    try {
      return await interpreter.runExitTrap(shell, status, fds);
    } catch (error) {
      if (error instanceof LimitExceeded) events.emit('session.limit', { limit: error.limit, max: error.max, detail: error.message });
      else factory.onInternalError?.(error);
      return status;
    }
  };

  return {
    runLine,
    prompt: () => (pending !== null ? '> ' : shell.pendingRead !== null ? shell.pendingRead.prompt : expandPrompt(shell, persona)),
    exitStatus: () => shell.state.lastStatus,
    close: () => {
      for (const { path, data } of fs.takeDirty()) capture.capture(path, data, 'session-end');
      return Promise.resolve();
    },
  };
}

function initialState(persona: PersonaView, fs: Vfs, user: string): ShellState {
  const account = passwdEntry(fs, user);
  const uid = account?.uid ?? (user === 'root' ? 0 : 1000);
  const home = account?.home ?? persona.shell.home;
  const vars = new Map<string, string>(Object.entries(persona.shell.env));
  if (!vars.has('PATH')) vars.set('PATH', '/bin:/sbin:/usr/bin:/usr/sbin');
  vars.set('HOME', home);
  vars.set('USER', user);
  vars.set('LOGNAME', user);
  vars.set('SHELL', account?.shell ?? '/bin/sh');
  const cwd = fs.stat(home)?.kind === 'dir' ? home : '/';
  vars.set('PWD', cwd);
  const exported = new Set(vars.keys());
  // ash sets IFS itself (not exported): exploits write `cd${IFS}/tmp` to avoid spaces.
  vars.set('IFS', ' \t\n');
  return { cwd, user, uid, vars, exported, lastStatus: 0, exitRequested: false };
}

function passwdEntry(fs: Vfs, user: string): { uid: number; home: string; shell: string } | null {
  try {
    if (fs.stat('/etc/passwd')?.kind !== 'file') return null;
    for (const line of bytesToShell(fs.readFile('/etc/passwd')).split('\n')) {
      const fields = line.split(':');
      if (fields[0] === user && fields.length >= 7 && /^[0-9]+$/.test(fields[2]!)) return { uid: Number(fields[2]), home: fields[5]!, shell: fields[6]! };
    }
  } catch {
    return null;
  }
  return null;
}

/** A plausible pid for the login shell: above the persona's processes, stable per session. */
function loginPid(persona: PersonaView, sessionId: string): number {
  const highest = persona.processes.reduce((max, p) => Math.max(max, p.pid), 100);
  let hash = 0;
  for (const ch of sessionId) hash = (hash * 31 + ch.charCodeAt(0)) % 997;
  return highest + 1 + hash;
}

/** PS1 escapes BusyBox ash understands: \u \h \H \w \W \$ \n \\. */
export function expandPrompt(shell: Shell, persona: PersonaView): string {
  const home = shell.state.vars.get('HOME') ?? persona.shell.home;
  const cwd = shell.state.cwd;
  const tilde = home !== '/' && (cwd === home || cwd.startsWith(`${home}/`)) ? `~${cwd.slice(home.length)}` : cwd;
  return persona.shell.prompt.replace(/\\([uhHwW$n\\])/g, (_match, code: string) => {
    switch (code) {
      case 'u':
        return shell.state.user;
      case 'h':
        return persona.hostname.split('.')[0] ?? persona.hostname;
      case 'H':
        return persona.hostname;
      case 'w':
        return tilde;
      case 'W':
        return cwd === '/' ? '/' : (tilde.split('/').pop() ?? tilde);
      case '$':
        return shell.state.uid === 0 ? '#' : '$';
      case 'n':
        return '\n';
      default:
        return '\\';
    }
  });
}
