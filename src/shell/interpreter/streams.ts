// Where command input comes from and output goes: bounded buffers for pipes and $(...), the
// terminal sink with the per-line output limit, and the fd table redirections rewrite.
import type { LimitName } from '../../core/events.ts';
import type { OutputStream } from '../command.ts';
import { dataToBytes } from './text-bytes.ts';

/** Raised when a command line hits a limit; stops the line and becomes a `session.limit` event. */
export class LimitExceeded extends Error {
  readonly limit: LimitName;
  readonly max: number;
  constructor(limit: LimitName, max: number, detail: string) {
    super(detail);
    this.name = 'LimitExceeded';
    this.limit = limit;
    this.max = max;
  }
}

/** Input of a command: a pipe, file or heredoc read through a cursor, or the (empty) terminal. */
export interface InputSource {
  readonly data: Uint8Array;
  pos: number;
  readonly terminal: boolean;
}

export function inputOf(data: Uint8Array): InputSource {
  return { data, pos: 0, terminal: false };
}

export function terminalInput(): InputSource {
  return { data: new Uint8Array(0), pos: 0, terminal: true };
}

export type Fd = { readonly kind: 'in'; readonly src: InputSource } | { readonly kind: 'out'; readonly out: OutputStream };
export type Fds = ReadonlyMap<number, Fd>;

export const discard: OutputStream = { write: () => undefined };

export function outputOf(fds: Fds, fd: number): OutputStream {
  const entry = fds.get(fd);
  return entry?.kind === 'out' ? entry.out : discard;
}

export function inputFrom(fds: Fds): InputSource {
  const entry = fds.get(0);
  return entry?.kind === 'in' ? entry.src : { data: new Uint8Array(0), pos: 0, terminal: false };
}

/** Shared per-line budget: the first limit hit is remembered so a command cannot swallow it. */
export interface LineBudget {
  outputBytes: number;
  loops: number;
  commands: number;
  tripped: LimitExceeded | null;
}

export function newBudget(): LineBudget {
  return { outputBytes: 0, loops: 0, commands: 0, tripped: null };
}

export function trip(budget: LineBudget, error: LimitExceeded): LimitExceeded {
  budget.tripped ??= error;
  return error;
}

/** Collects output in memory (pipes, command substitution), up to `max` bytes. */
export class BufferOutput implements OutputStream {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private readonly max: number;
  private readonly budget: LineBudget;

  constructor(max: number, budget: LineBudget) {
    this.max = max;
    this.budget = budget;
  }

  write(data: string | Uint8Array): void {
    const bytes = dataToBytes(data);
    if (this.size + bytes.length > this.max) {
      throw trip(this.budget, new LimitExceeded('output-bytes', this.max, `buffered output passed ${this.max} bytes`));
    }
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }
}

/** The attacker's terminal: passes bytes on and cuts the line at the output limit. */
export class TerminalOutput implements OutputStream {
  private readonly sink: (bytes: Uint8Array) => void;
  private readonly max: number;
  private readonly budget: LineBudget;

  constructor(sink: (bytes: Uint8Array) => void, max: number, budget: LineBudget) {
    this.sink = sink;
    this.max = max;
    this.budget = budget;
  }

  write(data: string | Uint8Array): void {
    if (this.budget.tripped) throw this.budget.tripped;
    const bytes = dataToBytes(data);
    const room = this.max - this.budget.outputBytes;
    if (bytes.length > room) {
      if (room > 0) this.sink(bytes.subarray(0, room));
      this.budget.outputBytes = this.max;
      throw trip(this.budget, new LimitExceeded('output-bytes', this.max, `command line output passed ${this.max} bytes`));
    }
    this.budget.outputBytes += bytes.length;
    if (bytes.length > 0) this.sink(bytes);
  }
}
