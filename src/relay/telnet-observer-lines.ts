// The attacker's typed lines as a line-mode device reads them: CR LF / CR NUL / LF end a line,
// DEL and BS erase a character, ^U kills the line, ^C drops it, terminal escape sequences vanish.

export type ClientEvent =
  /** The first byte of a new line: the attacker answers whatever the device printed before. */
  | { readonly kind: 'start' }
  /** A finished line; `cut` when it passed the limit and only its first bytes were kept. */
  | { readonly kind: 'line'; readonly bytes: Uint8Array; readonly cut: boolean };

export interface ClientLines {
  /** Feeds Telnet data bytes (commands already removed); events are appended to `out` in order. */
  push(data: Uint8Array, out: ClientEvent[]): void;
  /** Bytes held for the line being typed: at most the limit. */
  readonly buffered: number;
}

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;
const BS = 0x08;
const TAB = 0x09;
const ESC = 0x1b;
const DEL = 0x7f;
const CTRL_C = 0x03;
const CTRL_U = 0x15;
/** Longer than any sequence a terminal sends (arrows, a cursor position report): stop swallowing. */
const MAX_ESCAPE = 16;

export function createClientLines(maxLineBytes: number): ClientLines {
  const limit = Math.max(1, Math.floor(maxLineBytes));
  let line = new Uint8Array(Math.min(limit, 256));
  let length = 0;
  let cut = false;
  let started = false;
  /** The last line ended with CR: a following LF or NUL belongs to it. */
  let afterCr = false;
  /** 0: none, 1: after ESC, 2: inside CSI/SS3. */
  let escape = 0;
  let escapeLength = 0;

  const append = (byte: number): void => {
    if (length >= limit) {
      cut = true;
      return;
    }
    if (length === line.length) {
      const grown = new Uint8Array(Math.min(limit, line.length * 2));
      grown.set(line);
      line = grown;
    }
    line[length++] = byte;
  };

  // Erases one UTF-8 character: continuation bytes, then the byte that starts it.
  const erase = (): void => {
    while (length > 0 && (line[length - 1]! & 0xc0) === 0x80) length--;
    if (length > 0) length--;
  };

  const reset = (): void => {
    length = 0;
    cut = false;
    started = false;
    // Give back the memory of a long line.
    if (line.length > 4096) line = new Uint8Array(256);
  };

  const push = (data: Uint8Array, out: ClientEvent[]): void => {
    for (const byte of data) {
      if (afterCr) {
        afterCr = false;
        if (byte === LF || byte === NUL) continue;
      }
      if (escape > 0) {
        escapeLength++;
        if (escape === 1) escape = byte === 0x5b || byte === 0x4f ? 2 : 0;
        else if ((byte >= 0x40 && byte <= 0x7e) || escapeLength > MAX_ESCAPE) escape = 0;
        continue;
      }
      if (byte === NUL) continue; // padding, never part of a line
      if (!started) {
        started = true;
        out.push({ kind: 'start' });
      }
      switch (byte) {
        case CR:
        case LF:
          afterCr = byte === CR;
          out.push({ kind: 'line', bytes: line.slice(0, length), cut });
          reset();
          break;
        case DEL:
        case BS:
          if (!cut) erase();
          break;
        case CTRL_U:
          length = 0;
          cut = false;
          break;
        case CTRL_C:
          reset();
          break;
        case ESC:
          escape = 1;
          escapeLength = 0;
          break;
        default:
          // Other control bytes are editing keys a device ignores (^D on a non-empty line, ^L ...).
          if (byte >= 0x20 || byte === TAB) append(byte);
      }
    }
  };

  return {
    push,
    get buffered() {
      return line.length;
    },
  };
}
