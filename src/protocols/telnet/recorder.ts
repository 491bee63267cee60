// Terminal recording of one Telnet session as asciicast v2: this module writes the header line (size
// from NAWS, else 80x24) and then one `[t, "o"|"i"|"r", data]` JSON line per event.
import type { Clock, RecordingWriter } from '../../core/ports.ts';

export interface TerminalRecorder {
  /** Bytes shown on the attacker's terminal (after CR LF translation, before IAC escaping). */
  output(bytes: Uint8Array): void;
  /** Data bytes the attacker sent (after Telnet decoding). */
  input(bytes: Uint8Array): void;
  /** Window size from NAWS: sets the header's size, or records an "r" event once started. */
  resize(width: number, height: number): void;
  setTerminalType(name: string): void;
  /** Writes the header and everything held so far; later events are written as they happen. */
  start(): void;
  /** Starts if needed and closes the writer; null when there is no writer or it failed. */
  close(): Promise<{ readonly path: string; readonly bytes: number } | null>;
  /** Ends without keeping the recording (see RecordingWriter.discard). */
  discard(): Promise<void>;
}

export interface RecorderOptions {
  readonly startedAt: number;
  /** Event lines held before the header is written; past this the header is written at once. */
  readonly maxHeldBytes?: number;
}

export function createAsciicastRecorder(writer: RecordingWriter | null, clock: Clock, options: RecorderOptions): TerminalRecorder {
  const maxHeld = options.maxHeldBytes ?? 64 * 1024;
  let width = 80;
  let height = 24;
  let term: string | null = null;
  let started = false;
  let closed = false;
  let held: string[] = [];
  let heldBytes = 0;
  // Streaming decoders so a UTF-8 character split across chunks is not mangled.
  const outDecoder = new TextDecoder('utf-8');
  const inDecoder = new TextDecoder('utf-8');

  const append = (line: string): void => {
    if (!writer || closed) return;
    try {
      writer.append(line);
    } catch {
      closed = true; // a failing writer must never end the session
    }
  };
  // Output written in the same millisecond (echo, command output, prompt) becomes one frame:
  // a replay looks the same, and one JSON line per step costs less than four.
  let pendingOutput = '';
  let pendingAt = 0;
  const flushOutput = (): void => {
    if (pendingOutput === '') return;
    const data = pendingOutput;
    pendingOutput = '';
    line(pendingAt, 'o', data);
  };
  const line = (t: number, kind: 'o' | 'i' | 'r', data: string): void => {
    const text = JSON.stringify([t, kind, data]);
    if (started) return append(text);
    held.push(text);
    heldBytes += text.length;
    if (heldBytes > maxHeld) start();
  };
  const event = (kind: 'o' | 'i' | 'r', data: string): void => {
    if (!writer || closed || data === '') return;
    const t = Math.max(0, clock.now() - options.startedAt) / 1000;
    if (kind === 'o') {
      if (pendingOutput !== '' && t !== pendingAt) flushOutput();
      pendingAt = t;
      pendingOutput += data;
      if (pendingOutput.length >= 16 * 1024) flushOutput();
      return;
    }
    flushOutput();
    line(t, kind, data);
  };
  const start = (): void => {
    if (started || !writer) return;
    started = true;
    const header: Record<string, unknown> = { version: 2, width, height, timestamp: Math.floor(options.startedAt / 1000) };
    header.env = term === null ? { SHELL: '/bin/sh' } : { SHELL: '/bin/sh', TERM: term };
    append(JSON.stringify(header));
    for (const line of held) append(line);
    held = [];
    heldBytes = 0;
  };

  return {
    output: (bytes) => event('o', outDecoder.decode(bytes, { stream: true })),
    input: (bytes) => event('i', inDecoder.decode(bytes, { stream: true })),
    resize(w, h) {
      if (w <= 0 || h <= 0) return;
      if (!started) {
        width = w;
        height = h;
      } else if (w !== width || h !== height) {
        width = w;
        height = h;
        event('r', `${w}x${h}`);
      }
    },
    setTerminalType(name) {
      if (!started) term = name.slice(0, 64);
    },
    start() {
      flushOutput();
      start();
    },
    async close() {
      if (!writer) return null;
      flushOutput();
      start();
      if (closed) return null;
      closed = true;
      try {
        return await writer.close();
      } catch {
        return null;
      }
    },
    async discard() {
      if (!writer || closed) return;
      closed = true;
      held = [];
      pendingOutput = '';
      try {
        await writer.discard();
      } catch {
        // nothing to keep either way
      }
    },
  };
}
