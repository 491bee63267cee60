// Reads the decrypted shell channel of a relayed SSH session: the attacker's keystrokes become
// command lines (line editing as a terminal does it) and the device's output is split per command
// by its echo and prompt. Pure; the same line and output logic as the Telnet observer, no login.
import { createClientLines, type ClientEvent } from './telnet-observer-lines.ts';
import { ECHO_KEY_BYTES, createOutputCapture, splitOutput, type WaitingCommand } from './telnet-observer-output.ts';
import { classifyPrompt, defaultTelnetPrompts } from './telnet-observer-text.ts';

export type ShellObservation =
  | { readonly kind: 'command'; readonly line: string }
  | { readonly kind: 'output'; readonly command: string; readonly text: string; readonly truncated: boolean };

export interface ShellObserver {
  fromClient(bytes: Uint8Array): ShellObservation[];
  fromDevice(bytes: Uint8Array): ShellObservation[];
  /** The channel closed: the output of the commands still waiting. */
  end(): ShellObservation[];
}

/** Device bytes kept to read its last line (the prompt). */
const TAIL_BYTES = 1024;
/** Commands waiting for their output (pasted lines); past this they are reported with what came. */
const MAX_WAITING = 32;

const utf8 = new TextDecoder('utf-8');
const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

export function createShellObserver(limits: { readonly maxLineBytes: number; readonly maxOutputBytes: number }): ShellObserver {
  const prompts = defaultTelnetPrompts;
  const lines = createClientLines(limits.maxLineBytes);
  const capture = createOutputCapture(limits.maxOutputBytes);
  const waiting: WaitingCommand[] = [];
  let tail = '';
  let sinceLine = 0;
  let ended = false;

  const flush = (out: ShellObservation[]): void => {
    if (waiting.length > 0) {
      const head = capture.head();
      splitOutput(latin1(head), waiting, capture.truncated, prompts).forEach((range, i) => {
        out.push({ kind: 'output', command: waiting[i]!.line, text: utf8.decode(head.subarray(range.start, range.end)), truncated: range.truncated });
      });
      waiting.length = 0;
    }
    capture.reset();
  };

  const onClient = (event: ClientEvent, out: ShellObservation[]): void => {
    if (event.kind === 'start') {
      // The device waits at a prompt: what it printed is the output of the waiting commands. Any
      // other pause may be a command still running (or one reading its own input).
      const kind = sinceLine > 0 ? classifyPrompt(tail, prompts) : 'unknown';
      if (waiting.length === 0 || kind !== 'unknown' || capture.truncated) flush(out);
      return;
    }
    sinceLine = 0;
    const line = utf8.decode(event.bytes);
    if (line.trim() === '') return;
    out.push({ kind: 'command', line });
    if (waiting.length >= MAX_WAITING) flush(out);
    waiting.push({ line, key: latin1(event.bytes.subarray(0, ECHO_KEY_BYTES)) });
  };

  return {
    fromClient(bytes) {
      const out: ShellObservation[] = [];
      if (ended) return out;
      const events: ClientEvent[] = [];
      lines.push(bytes, events);
      for (const event of events) onClient(event, out);
      return out;
    },
    fromDevice(bytes) {
      if (ended) return [];
      tail = (tail + latin1(bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES)))).slice(-TAIL_BYTES);
      sinceLine += bytes.length;
      capture.push(bytes);
      return [];
    },
    end() {
      if (ended) return [];
      ended = true;
      const out: ShellObservation[] = [];
      flush(out);
      return out;
    },
  };
}
