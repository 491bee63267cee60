// Reads a relayed Telnet conversation with a real device and reports what happened in it: login
// attempts (judged from the device's replies), command lines and each command's output. Pure.
//
// Every judgement is made when the attacker acts (starts a new line) or at end(), from everything
// the device sent until then, so the way TCP cut the bytes into chunks never changes the result.
// A failure message ("Login incorrect") is the exception: it is judged as soon as it arrives.
import { createDecoder } from '../protocols/telnet/codec.ts';
import type { TelnetFrame } from '../protocols/telnet/codec.ts';
import { createClientLines } from './telnet-observer-lines.ts';
import type { ClientEvent } from './telnet-observer-lines.ts';
import { ECHO_KEY_BYTES, createOutputCapture, splitOutput } from './telnet-observer-output.ts';
import type { WaitingCommand } from './telnet-observer-output.ts';
import { classifyPrompt, defaultTelnetPrompts, findFailure, globalPatterns } from './telnet-observer-text.ts';
import type { PromptKind, TelnetPrompts } from './telnet-observer-text.ts';

export { defaultTelnetPrompts } from './telnet-observer-text.ts';
export type { TelnetPrompts } from './telnet-observer-text.ts';

export type TelnetObservation =
  | { readonly kind: 'auth'; readonly username: string; readonly password: string; readonly success: boolean | null; readonly attempt: number }
  | { readonly kind: 'command'; readonly line: string }
  | { readonly kind: 'output'; readonly command: string; readonly text: string; readonly truncated: boolean };

export interface TelnetObserverOptions {
  readonly maxLineBytes: number;
  readonly maxOutputBytes: number;
  /** Prompt and failure patterns; any kind left out keeps its default. */
  readonly prompts?: Partial<TelnetPrompts>;
}

export interface TelnetObserver {
  fromClient(bytes: Uint8Array): TelnetObservation[];
  fromDevice(bytes: Uint8Array): TelnetObservation[];
  /** The session ended: report what is still pending (an attempt with success null, a last output). */
  end(): TelnetObservation[];
}

/** Device bytes kept to read its last line (the prompt). */
const TAIL_BYTES = 1024;
/** Text kept between chunks to find a failure message cut in two (longer than any pattern match). */
const FAILURE_OVERLAP = 64;
/** Lines typed ahead while a login attempt is undecided; past this the attempt is reported undecided. */
const MAX_HELD_LINES = 16;
/** Commands waiting for their output (pasted lines); past this they are reported with what came. */
const MAX_WAITING = 32;

interface Attempt {
  readonly username: string;
  readonly password: string;
  readonly attempt: number;
}

const utf8 = new TextDecoder('utf-8');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** Output as UTF-8 when it is valid UTF-8; else latin1, so binary output (an ELF a bot cats) keeps every byte. */
const outputText = (bytes: Uint8Array): string => {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return latin1(bytes);
  }
};
const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

export function createTelnetObserver(options: TelnetObserverOptions): TelnetObserver {
  const prompts: TelnetPrompts = { ...defaultTelnetPrompts, ...options.prompts };
  const failure = globalPatterns(prompts.failure);
  const clientTelnet = createDecoder();
  const deviceTelnet = createDecoder();
  const lines = createClientLines(options.maxLineBytes);
  const capture = createOutputCapture(options.maxOutputBytes);

  let ended = false;
  let phase: 'login' | 'shell' = 'login';
  /** The last TAIL_BYTES of device output, latin1. */
  let tail = '';
  /** Device data bytes since the attacker's last line ended: 0 means the device has not answered it. */
  let sinceLine = 0;
  /** What the device waited for when the current line started. */
  let lineKind: PromptKind = 'unknown';
  let seenLoginPrompt = false;
  let expect: 'user' | 'password' = 'user';
  let username: string | null = null;
  let attempts = 0;
  let pending: Attempt | null = null;
  let failureWindow = '';
  const held: Uint8Array[] = [];
  const waiting: WaitingCommand[] = [];

  const capturing = (): boolean => phase === 'shell' || held.length > 0;

  const appendDevice = (data: Uint8Array): void => {
    tail = (tail + latin1(data.subarray(Math.max(0, data.length - TAIL_BYTES)))).slice(-TAIL_BYTES);
    sinceLine += data.length;
    if (capturing()) capture.push(data);
  };

  const flushOutputs = (out: TelnetObservation[]): void => {
    if (waiting.length > 0) {
      const head = capture.head();
      const ranges = splitOutput(latin1(head), waiting, capture.truncated, prompts);
      ranges.forEach((range, i) => {
        const text = outputText(head.subarray(range.start, range.end));
        out.push({ kind: 'output', command: waiting[i]!.line, text, truncated: range.truncated });
      });
      waiting.length = 0;
    }
    capture.reset();
  };

  const shellLine = (bytes: Uint8Array, out: TelnetObservation[]): void => {
    const line = utf8.decode(bytes);
    if (line.trim() === '') return; // a shell prints a new prompt; nothing ran
    out.push({ kind: 'command', line });
    if (waiting.length >= MAX_WAITING) flushOutputs(out);
    waiting.push({ line, key: latin1(bytes.subarray(0, ECHO_KEY_BYTES)) });
  };

  const loginLine = (bytes: Uint8Array, kind: PromptKind): void => {
    let role: PromptKind = kind;
    if (role !== 'user' && role !== 'password') {
      // Typed ahead of the prompt: the device reads it as the next thing login asks for.
      if (!seenLoginPrompt) return; // a device that never asked: we cannot tell what this is
      role = expect;
    }
    const text = utf8.decode(bytes);
    if (role === 'user') {
      if (text === '') return; // login asks again without counting an attempt
      username = text;
      expect = 'password';
      return;
    }
    attempts++;
    pending = { username: username ?? '', password: text, attempt: attempts };
    username = null;
    expect = 'user';
    failureWindow = '';
  };

  const judge = (success: boolean | null, out: TelnetObservation[]): void => {
    const attempt = pending;
    if (attempt === null) return;
    pending = null;
    failureWindow = '';
    out.push({ kind: 'auth', username: attempt.username, password: attempt.password, success, attempt: attempt.attempt });
    const ahead = held.splice(0);
    if (success === true) {
      phase = 'shell';
      // Without typed-ahead lines the capture holds nothing yet; with them it holds their output.
      if (ahead.length === 0) capture.reset();
      for (const line of ahead) shellLine(line, out);
      return;
    }
    capture.reset();
    // After a failure, login reads the typed-ahead lines as the next user name and password.
    if (success === false) for (const line of ahead) loginLine(line, 'unknown');
  };

  const onStart = (out: TelnetObservation[]): void => {
    const kind = sinceLine > 0 ? classifyPrompt(tail, prompts) : 'unknown';
    if (kind === 'user' || kind === 'password') seenLoginPrompt = true;
    if (phase === 'login') {
      if (pending !== null && kind !== 'unknown') judge(kind === 'shell', out);
      else if (pending === null && kind === 'shell') {
        phase = 'shell'; // a device that needs no login
        capture.reset();
      }
    } else if (kind === 'user') {
      flushOutputs(out); // logged out and asked to log in again
      phase = 'login';
      expect = 'user';
    }
    // The device waits at a prompt (a shell's, or a password for su/enable): what it printed is the
    // output of the waiting commands. Any other pause may be a command still running.
    if (phase === 'shell' && (waiting.length === 0 || kind !== 'unknown' || capture.truncated)) flushOutputs(out);
    lineKind = kind;
  };

  const onLine = (bytes: Uint8Array, out: TelnetObservation[]): void => {
    sinceLine = 0;
    const kind = lineKind;
    lineKind = 'unknown';
    if (phase === 'shell') return shellLine(bytes, out);
    if (pending === null) return loginLine(bytes, kind);
    // The device has not judged the attempt yet: keep the line until it does.
    if (held.length === 0) capture.reset();
    held.push(bytes);
    if (held.length > MAX_HELD_LINES) {
      held.length = 0;
      judge(null, out);
    }
  };

  const onDeviceData = (data: Uint8Array, out: TelnetObservation[]): void => {
    let rest = data;
    while (rest.length > 0) {
      let take = rest.length;
      let failed = false;
      if (pending !== null) {
        const text = failureWindow + latin1(rest);
        const end = findFailure(text, failureWindow.length, failure);
        if (end >= 0) {
          take = end - failureWindow.length;
          failed = true;
        } else {
          failureWindow = text.slice(-FAILURE_OVERLAP);
        }
      }
      appendDevice(rest.subarray(0, take));
      rest = rest.subarray(take);
      if (failed) judge(false, out);
    }
  };

  const data = (frames: TelnetFrame[], each: (bytes: Uint8Array) => void): void => {
    for (const frame of frames) if (frame.kind === 'data') each(frame.bytes);
  };

  return {
    fromClient(bytes) {
      const out: TelnetObservation[] = [];
      if (ended) return out;
      const events: ClientEvent[] = [];
      data(clientTelnet.push(bytes), (chunk) => lines.push(chunk, events));
      for (const event of events) {
        if (event.kind === 'start') onStart(out);
        else onLine(event.bytes, out);
      }
      return out;
    },
    fromDevice(bytes) {
      const out: TelnetObservation[] = [];
      if (ended) return out;
      data(deviceTelnet.push(bytes), (chunk) => onDeviceData(chunk, out));
      return out;
    },
    end() {
      const out: TelnetObservation[] = [];
      if (ended) return out;
      ended = true;
      if (pending !== null) {
        const kind = sinceLine > 0 ? classifyPrompt(tail, prompts) : 'unknown';
        judge(kind === 'unknown' ? null : kind === 'shell', out);
        // Lines typed ahead after a failure may have made a new attempt nobody answered.
        judge(null, out);
      }
      if (phase === 'shell') flushOutputs(out);
      return out;
    },
  };
}
