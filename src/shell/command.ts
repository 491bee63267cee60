// What a shell command is: one function per file in commands/, listed in commands/index.ts.
// Commands never touch the host: they see the session's virtual filesystem and the persona.
import type { CapturePort, Clock, DownloadPort, SessionEmitter } from '../core/ports.ts';
import type { PersonaView } from '../core/persona.ts';
import type { Vfs } from './vfs/vfs.ts';

export interface OutputStream {
  write(data: string | Uint8Array): void;
}

export interface ShellLimits {
  /** Largest file a session may create or grow. */
  readonly maxFileBytes: number;
  /** Total bytes of all files a session may write. */
  readonly maxSessionWriteBytes: number;
  /** Output bytes one command line may produce before it is cut. */
  readonly maxOutputBytes: number;
  /** Loop iterations per command line (while/for) before the loop is stopped. */
  readonly maxLoopIterations: number;
  /** Nesting of sh -c / sh file / $(...). */
  readonly maxRecursion: number;
}

/** Mutable state of one shell, shared by the interpreter and builtins. */
export interface ShellState {
  cwd: string;
  readonly user: string;
  readonly uid: number;
  /** Variables; exported ones are also in `exported`. */
  readonly vars: Map<string, string>;
  readonly exported: Set<string>;
  lastStatus: number;
  /** Set by `exit`: the session ends after the current line. */
  exitRequested: boolean;
}

/** The device and session every command and the shell itself work on. */
export interface DeviceContext {
  readonly fs: Vfs;
  readonly persona: PersonaView;
  readonly events: SessionEmitter;
  readonly capture: CapturePort;
  /** hachi's fetcher, for wget, curl, tftp and ftpget. */
  readonly downloads: DownloadPort;
  readonly clock: Clock;
  /** When the emulated device booted (ms since the epoch): uptime grows from the persona's figure. */
  readonly bootedAt: number;
  readonly limits: ShellLimits;
}

export interface CommandContext extends DeviceContext {
  /** argv[0] is the name as typed (`busybox`, `/bin/busybox`, `./x`). */
  readonly argv: readonly string[];
  /** Input from a pipe or redirection; empty when the terminal is stdin. */
  readonly stdin: Uint8Array;
  readonly stdinIsTerminal: boolean;
  /** stdout is the attacker's terminal (not a pipe, file or $(...)): ls prints columns. */
  readonly stdoutIsTerminal: boolean;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly state: ShellState;
  /** The whole command line as typed, for events. */
  readonly line: string;
  /** Runs shell source in this shell (sh -c, sh FILE); returns its exit status. */
  runScript(source: string, argv: readonly string[]): Promise<number>;
  /** Runs a BusyBox applet by name (no PATH lookup) with the same streams: `busybox wget ...`. */
  runCommand(argv: readonly string[]): Promise<number>;
}

/** A command returns its exit status. */
export type Command = (ctx: CommandContext) => number | Promise<number>;
