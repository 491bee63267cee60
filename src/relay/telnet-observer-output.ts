// The device's shell output and which command it belongs to: a capped capture of the bytes, then
// a split among the commands that waited for it (pasted lines), each without its echo and prompt.
import { isShellPrompt, renderLastLine } from './telnet-observer-text.ts';
import type { TelnetPrompts } from './telnet-observer-text.ts';

/** How much of a command line is compared with the device's echo. */
export const ECHO_KEY_BYTES = 256;

export interface WaitingCommand {
  readonly line: string;
  /** The first ECHO_KEY_BYTES bytes of the line as latin1, to find its echo. */
  readonly key: string;
}

export interface OutputCapture {
  push(bytes: Uint8Array): void;
  /** The first `max` bytes since the last reset. */
  head(): Uint8Array;
  readonly truncated: boolean;
  reset(): void;
}

export function createOutputCapture(max: number): OutputCapture {
  const limit = Math.max(0, Math.floor(max));
  let buffer = new Uint8Array(Math.min(limit, 1024));
  let length = 0;
  let truncated = false;
  return {
    push(bytes) {
      const room = limit - length;
      if (bytes.length > room) truncated = true;
      const take = Math.min(room, bytes.length);
      if (take <= 0) return;
      if (length + take > buffer.length) {
        const grown = new Uint8Array(Math.min(limit, Math.max(buffer.length * 2, length + take)));
        grown.set(buffer.subarray(0, length));
        buffer = grown;
      }
      buffer.set(bytes.subarray(0, take), length);
      length += take;
    },
    head: () => buffer.subarray(0, length),
    get truncated() {
      return truncated;
    },
    reset() {
      length = 0;
      truncated = false;
      if (buffer.length > 65_536) buffer = new Uint8Array(1024);
    },
  };
}

export interface OutputRange {
  readonly start: number;
  readonly end: number;
  readonly truncated: boolean;
}

/** A prompt prefix longer than this is not looked at (keeps the echo search linear). */
const MAX_PREFIX = 256;

const lineStartOf = (text: string, index: number): number => text.lastIndexOf('\n', index - 1) + 1;

/**
 * Where the echo of `key` starts at or after `from`: at a line start (first command only) or right
 * after a shell prompt on the same line ("$ echo c"). -1 when the device did not echo it.
 */
function findEcho(text: string, key: string, from: number, first: boolean, prompts: TelnetPrompts): number {
  for (let at = text.indexOf(key, from); at >= 0; at = text.indexOf(key, at + 1)) {
    const start = lineStartOf(text, at);
    if (at - start > MAX_PREFIX) continue;
    const prefix = renderLastLine(text.slice(start, at));
    if ((first && prefix === '') || isShellPrompt(prefix, prompts)) return at;
  }
  return -1;
}

/**
 * Splits `text` (latin1 of the captured bytes) among `commands`, in order: a command's output runs
 * from its echo to the echo of the next one found. A command whose echo is not found gets nothing
 * (its output stays with the one before). Each range then loses its echo line and, unless the text
 * was cut, the shell prompt it ends with.
 */
export function splitOutput(text: string, commands: readonly WaitingCommand[], truncated: boolean, prompts: TelnetPrompts): OutputRange[] {
  const ranges: OutputRange[] = commands.map(() => ({ start: 0, end: 0, truncated: false }));
  let owner = 0;
  let start = 0;
  let from = 0;
  commands.forEach((command, i) => {
    const at = findEcho(text, command.key, from, i === 0, prompts);
    if (at < 0) return;
    const lineStart = lineStartOf(text, at);
    if (i > 0) ranges[owner] = { start, end: lineStart, truncated: false };
    owner = i;
    start = lineStart;
    from = at + command.key.length;
  });
  if (commands.length > 0) ranges[owner] = { start, end: text.length, truncated };
  return ranges.map((range, i) => trim(text, range, commands[i]!.key, prompts));
}

function trim(text: string, range: OutputRange, key: string, prompts: TelnetPrompts): OutputRange {
  let { start, end } = range;
  if (end <= start) return range;
  const firstEnd = text.indexOf('\n', start);
  const firstLine = text.slice(start, firstEnd < 0 || firstEnd >= end ? end : firstEnd);
  if (renderLastLine(firstLine.replace(/\r+$/, '')).includes(key)) start = firstEnd < 0 || firstEnd >= end ? end : firstEnd + 1;
  if (!range.truncated && end > start) {
    const lastStart = Math.max(start, lineStartOf(text, end));
    if (isShellPrompt(renderLastLine(text.slice(lastStart, end)), prompts)) end = lastStart;
  }
  return { start, end: Math.max(start, end), truncated: range.truncated };
}
