// The I/O side of one Telnet session: decodes the stream into a bounded input queue, edits lines,
// writes terminal output (CR LF translation, IAC escaping, recording), and owns the timers.
import type { Duplex } from 'node:stream';
import type { CloseReason, LimitName } from '../../core/events.ts';
import type { Clock } from '../../core/ports.ts';
import { createDecoder, escapeData, optionName } from './codec.ts';
import { createLineEditor } from './line-editor.ts';
import type { EditMode, EditResult } from './line-editor.ts';
import type { TerminalRecorder } from './recorder.ts';

export interface TelnetLimits {
  /** Close after this long without input ('idle-timeout'). 0 disables. */
  readonly idleTimeoutMs: number;
  /** Close after this long in total ('max-duration'). 0 disables. */
  readonly maxSessionMs: number;
  /** A longer line is cut: `session.limit` 'line-length' and close. */
  readonly maxLineLength: number;
  /** Total bytes a client may send: `session.limit` 'input-bytes' and close. */
  readonly maxInputBytes: number;
  /** Longest subnegotiation body: `session.limit` 'subnegotiation' and close. */
  readonly maxSubnegotiationBytes: number;
}

/** How `\n` in output reaches the wire: 'all' is a pty's onlcr; 'bare' leaves existing CR LF alone. */
export type Newlines = 'all' | 'bare';

export type ReadResult = EditResult | { readonly kind: 'closed' } | { readonly kind: 'end' };

export interface ClientNegotiation {
  terminalType: string | null;
  width: number | null;
  height: number | null;
  readonly options: string[];
}

export interface TelnetConnection {
  readonly negotiation: ClientNegotiation;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly stopped: boolean;
  /** Bytes sent as they are (option negotiation); not recorded. */
  sendRaw(bytes: Uint8Array): void;
  /** Terminal output: translated, recorded, IAC-escaped. */
  send(data: string | Uint8Array, newlines: Newlines): void;
  readLine(mode: EditMode, prompt: string): Promise<ReadResult>;
  hasPendingInput(): boolean;
  /** Resolves when the stream has room again (or the session stops). */
  drained(): Promise<void>;
  /** Resolves after `ms`, or at once when the session stops. */
  delay(ms: number): Promise<void>;
  /** Stops reading and timers once; later calls do nothing. */
  stop(reason: CloseReason): void;
  /** Ends the stream after pending output is flushed. */
  end(): void;
}

export interface ConnectionOptions {
  readonly limits: TelnetLimits;
  readonly clock: Clock;
  readonly recorder: TerminalRecorder;
  readonly onLimit: (limit: LimitName, max: number, detail: string) => void;
  readonly onStop: (reason: CloseReason) => void;
}

/** Input queued beyond this pauses the stream, as a full pty buffer would stop telnetd reading. */
const HIGH_WATER = 64 * 1024;
const MAX_OPTIONS = 32;
const encoder = new TextEncoder();

export function createTelnetConnection(stream: Duplex, options: ConnectionOptions): TelnetConnection {
  const { limits, recorder } = options;
  const decoder = createDecoder(limits.maxSubnegotiationBytes);
  const editor = createLineEditor(limits.maxLineLength);
  const negotiation: ClientNegotiation = { terminalType: null, width: null, height: null, options: [] };
  const pending: Uint8Array[] = [];
  let offset = 0;
  let pendingBytes = 0;
  let ended = false;
  let stopped = false;
  let bytesIn = 0;
  let bytesOut = 0;
  const wakers = new Set<() => void>();
  const wake = (): void => {
    for (const w of [...wakers]) w();
  };
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });
  const waitForWake = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        wakers.delete(done);
        resolve();
      };
      wakers.add(done);
    });

  const timers: NodeJS.Timeout[] = [];
  const startTimer = (ms: number, reason: CloseReason): NodeJS.Timeout | null => {
    if (!(ms > 0 && Number.isFinite(ms))) return null;
    // Unref'd: the stream keeps the process alive, a session timer alone should not.
    const timer = setTimeout(() => stop(reason), ms).unref();
    timers.push(timer);
    return timer;
  };
  const idle = startTimer(limits.idleTimeoutMs, 'idle-timeout');
  startTimer(limits.maxSessionMs, 'max-duration');

  const limitHit = (limit: LimitName, max: number, detail: string): void => {
    if (stopped) return;
    options.onLimit(limit, max, detail);
    stop('limit');
  };

  const onData = (chunk: Buffer): void => {
    if (stopped) return;
    bytesIn += chunk.length;
    idle?.refresh();
    if (bytesIn > limits.maxInputBytes) {
      return limitHit('input-bytes', limits.maxInputBytes, `client sent more than ${limits.maxInputBytes} bytes`);
    }
    for (const frame of decoder.push(chunk)) {
      switch (frame.kind) {
        case 'data':
          pending.push(frame.bytes);
          pendingBytes += frame.bytes.length;
          recorder.input(frame.bytes);
          break;
        case 'negotiation': {
          const name = `${frame.verb.toUpperCase()} ${optionName(frame.option)}`;
          if (negotiation.options.length < MAX_OPTIONS && !negotiation.options.includes(name)) negotiation.options.push(name);
          break;
        }
        case 'naws':
          negotiation.width = frame.width;
          negotiation.height = frame.height;
          recorder.resize(frame.width, frame.height);
          break;
        case 'ttype':
          // Printable ASCII only: the name goes into events and the recording header.
          negotiation.terminalType = frame.name.replace(/[^\x20-\x7e]/g, '').slice(0, 64);
          recorder.setTerminalType(negotiation.terminalType);
          break;
        case 'limit':
          return limitHit('subnegotiation', frame.max, `subnegotiation longer than ${frame.max} bytes`);
        case 'command':
        case 'subnegotiation':
          break; // BusyBox telnetd ignores these too
      }
    }
    if (pendingBytes > HIGH_WATER) stream.pause();
    wake();
  };
  const onEnd = (): void => {
    ended = true;
    wake();
  };
  // After the client's FIN the queued lines still run (their events matter); a close without FIN ends it.
  const onClose = (): void => {
    if (!ended) stop('client-closed');
  };
  // A reset or broken pipe is how bots hang up; anything else is a real stream error.
  const onError = (error: NodeJS.ErrnoException): void => stop(error.code === 'ECONNRESET' || error.code === 'EPIPE' ? 'client-closed' : 'error');
  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('close', onClose);
  // Kept for the stream's whole life: an unhandled 'error' on a Duplex would throw.
  stream.on('error', onError);

  // Writes made while handling one input chunk (echo, output, prompt) leave in one segment:
  // fewer syscalls, and the packets look like a device's, not one per fragment.
  let corked = false;
  const uncork = (): void => {
    corked = false;
    if (!stream.destroyed) stream.uncork();
  };
  const write = (bytes: Uint8Array): void => {
    if (bytes.length === 0 || !stream.writable) return;
    bytesOut += bytes.length;
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(uncork);
    }
    stream.write(bytes);
  };

  const send = (data: string | Uint8Array, newlines: Newlines): void => {
    const bytes = toTerminal(typeof data === 'string' ? encoder.encode(data) : data, newlines);
    if (bytes.length === 0) return;
    recorder.output(bytes);
    write(escapeData(bytes));
  };

  const readLine = async (mode: EditMode, prompt: string): Promise<ReadResult> => {
    const echo: number[] = [];
    const flush = (): void => {
      if (echo.length > 0) send(Uint8Array.from(echo.splice(0)), 'bare');
    };
    for (;;) {
      if (stopped) return { kind: 'closed' };
      let result: EditResult | null = null;
      while (pending.length > 0 && result === null) {
        const chunk = pending[0]!;
        while (offset < chunk.length && result === null) {
          const run = editor.feedPrintable(chunk, offset, mode, echo);
          if (run > 0) {
            offset += run;
            pendingBytes -= run;
            continue;
          }
          result = editor.feed(chunk[offset++]!, mode, prompt, echo);
          pendingBytes--;
        }
        if (offset >= chunk.length) {
          pending.shift();
          offset = 0;
        }
      }
      // Like telnetd, drop the LF of a CR LF at once, so it does not count as typed-ahead input.
      if (result !== null && pending.length > 0 && editor.isNewlineTail(pending[0]![offset]!)) {
        editor.feed(pending[0]![offset++]!, mode, prompt, echo);
        pendingBytes--;
        if (offset >= pending[0]!.length) {
          pending.shift();
          offset = 0;
        }
      }
      flush();
      if (pendingBytes <= HIGH_WATER && stream.isPaused() && !stopped) stream.resume();
      if (result !== null) return result;
      if (ended) return { kind: 'end' };
      await waitForWake();
    }
  };

  function stop(reason: CloseReason): void {
    if (stopped) return;
    stopped = true;
    for (const timer of timers) clearTimeout(timer);
    stream.off('data', onData);
    stream.off('end', onEnd);
    stream.off('close', onClose);
    pending.length = 0;
    pendingBytes = 0;
    wake();
    options.onStop(reason);
  }

  return {
    negotiation,
    get bytesIn() {
      return bytesIn;
    },
    get bytesOut() {
      return bytesOut;
    },
    get stopped() {
      return stopped;
    },
    sendRaw: write,
    send,
    readLine,
    hasPendingInput: () => pendingBytes > 0,
    async drained() {
      while (!stopped && stream.writable && stream.writableNeedDrain) {
        const onDrain = (): void => wake();
        stream.once('drain', onDrain);
        await waitForWake();
        stream.off('drain', onDrain);
      }
    },
    delay: (ms) => (stopped || ms <= 0 ? Promise.resolve() : sleep(ms)),
    stop,
    end() {
      if (stream.destroyed) return;
      // Destroy once flushed; a peer that never reads must not hold the stream open for ever.
      const fallback = setTimeout(() => stream.destroy(), 2000);
      fallback.unref();
      stream.end(() => {
        clearTimeout(fallback);
        stream.destroy();
      });
    },
  };
}

/** A pty's output translation: `\n` becomes `\r\n` ('bare': unless a `\r` already precedes it). */
export function toTerminal(bytes: Uint8Array, newlines: Newlines): Uint8Array {
  if (bytes.indexOf(0x0a) < 0) return bytes;
  let extra = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a && (newlines === 'all' || bytes[i - 1] !== 0x0d)) extra++;
  if (extra === 0) return bytes;
  const out = new Uint8Array(bytes.length + extra);
  let j = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a && (newlines === 'all' || bytes[i - 1] !== 0x0d)) out[j++] = 0x0d;
    out[j++] = bytes[i]!;
  }
  return out;
}
