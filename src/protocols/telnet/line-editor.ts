// Line discipline of a BusyBox device behind telnetd: the pty's canonical mode at the login prompt
// and ash's line editing at the shell prompt, echo bytes included (see fixtures/busybox-telnetd.ts).

/**
 * - `login`: pty canonical mode with ECHO: DEL erases ("\b \b"), ^U kills the line, ^C echoes "^C"
 *   and drops the line, other control bytes (0x08 too) are kept and echoed as "^X".
 * - `password`: the same without any echo; Enter is answered with "\r\n" as login(1) does.
 * - `shell`: ash line editing: DEL and BS erase ("\b\e[J"), ^U redraws the prompt, ^C aborts the
 *   line, ^D on an empty line ends the shell, escape sequences (arrows, cursor reports) are ignored.
 */
export type EditMode = 'login' | 'password' | 'shell';

export type EditResult =
  | { readonly kind: 'line'; readonly bytes: Uint8Array }
  | { readonly kind: 'interrupt' }
  | { readonly kind: 'eof' }
  | { readonly kind: 'overflow'; readonly length: number };

export interface LineEditor {
  /**
   * Feeds one input byte; bytes to echo are appended to `echo`. Returns a result when the line
   * ends (Enter, ^C in the shell, ^D on an empty line, or the line passing the length limit).
   */
  feed(byte: number, mode: EditMode, prompt: string, echo: number[]): EditResult | null;
  /**
   * Fast path for typed text: consumes the run of printable bytes (0x20-0x7e) at `from`, as `feed`
   * would one by one, and returns how many; 0 when the next byte needs `feed`.
   */
  feedPrintable(bytes: Uint8Array, from: number, mode: EditMode, echo: number[]): number;
  /** Whether `byte` would be dropped as the LF or NUL of a CR LF / CR NUL that ended the last line. */
  isNewlineTail(byte: number): boolean;
  /** Bytes in the line being edited. */
  readonly length: number;
}

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;
const ESC = 0x1b;
const DEL = 0x7f;
const BS = 0x08;
const CTRL_C = 0x03;
const CTRL_D = 0x04;
const CTRL_U = 0x15;
const TAB = 0x09;
/** An escape sequence longer than this is not one a terminal sends; stop swallowing. */
const MAX_ESCAPE = 16;

const ascii = (text: string): number[] => Array.from(Buffer.from(text, 'utf8'));
const ERASE_TTY = ascii('\b \b');
const ERASE_ASH = ascii('\b\x1b[J');
const NEWLINE = ascii('\r\n');

export function createLineEditor(maxLineLength: number): LineEditor {
  let line: number[] = [];
  /** The last line ended with CR: a following LF or NUL belongs to it (CR LF, CR NUL). */
  let afterCr = false;
  /** 0: none, 1: after ESC, 2: inside CSI/SS3; counts bytes to stay bounded. */
  let escape = 0;
  let escapeLength = 0;

  const isControl = (byte: number): boolean => byte < 0x20 && byte !== TAB;
  // The tty erases two columns for a control byte it echoed as "^X".
  const eraseTty = (byte: number, echo: number[]): void => {
    const times = isControl(byte) ? 2 : 1;
    for (let i = 0; i < times; i++) echo.push(...ERASE_TTY);
  };

  const take = (): Uint8Array => {
    const bytes = Uint8Array.from(line);
    line = [];
    return bytes;
  };

  const feed = (byte: number, mode: EditMode, prompt: string, echo: number[]): EditResult | null => {
    if (afterCr) {
      afterCr = false;
      if (byte === LF || byte === NUL) return null;
    }
    if (mode === 'shell' && escape > 0) {
      escapeLength++;
      if (escape === 1) escape = byte === 0x5b || byte === 0x4f ? 2 : 0;
      else if ((byte >= 0x40 && byte <= 0x7e) || escapeLength > MAX_ESCAPE) escape = 0;
      return null;
    }
    if (byte === CR || byte === LF) {
      afterCr = byte === CR;
      echo.push(...NEWLINE);
      return { kind: 'line', bytes: take() };
    }
    const visible = mode !== 'password';
    if (mode === 'shell') {
      switch (byte) {
        case DEL:
        case BS:
          if (line.length > 0) {
            line.pop();
            echo.push(...ERASE_ASH);
          }
          return null;
        case CTRL_U:
          line = [];
          echo.push(...ascii(`\r${prompt}\x1b[J`));
          return null;
        case CTRL_C:
          line = [];
          echo.push(...ascii('^C\r\n'));
          return { kind: 'interrupt' };
        case CTRL_D:
          if (line.length > 0) return null;
          echo.push(...NEWLINE);
          return { kind: 'eof' };
        case ESC:
          escape = 1;
          escapeLength = 0;
          return null;
        default:
          if (isControl(byte)) return null;
      }
    } else {
      switch (byte) {
        case DEL: {
          const last = line.pop();
          if (last !== undefined && visible) eraseTty(last, echo);
          return null;
        }
        case CTRL_U:
          if (visible) for (const erased of line) eraseTty(erased, echo);
          line = [];
          return null;
        case CTRL_C:
          line = [];
          if (visible) echo.push(...ascii('^C'));
          return null;
        case CTRL_D:
          if (line.length > 0) return null;
          return { kind: 'eof' };
      }
    }
    line.push(byte);
    if (visible) {
      if (mode === 'login' && isControl(byte)) echo.push(0x5e, byte + 0x40);
      else echo.push(byte);
    }
    if (line.length > maxLineLength) {
      line = [];
      return { kind: 'overflow', length: maxLineLength };
    }
    return null;
  };

  const feedPrintable = (bytes: Uint8Array, from: number, mode: EditMode, echo: number[]): number => {
    if (afterCr || escape > 0) return 0;
    const visible = mode !== 'password';
    // Never past the length limit: the byte that passes it goes through feed, which reports it.
    const end = Math.min(bytes.length, from + Math.max(0, maxLineLength - line.length));
    let i = from;
    for (; i < end; i++) {
      const byte = bytes[i]!;
      if (byte < 0x20 || byte > 0x7e) break;
      line.push(byte);
      if (visible) echo.push(byte);
    }
    return i - from;
  };

  return {
    feed,
    feedPrintable,
    isNewlineTail: (byte) => afterCr && (byte === LF || byte === NUL),
    get length() {
      return line.length;
    },
  };
}
