// Backslash escapes as BusyBox's bb_process_escape_sequence decodes them, for echo -e, printf's
// format and printf %b. Escapes yield raw bytes; other characters are written as UTF-8.

const simpleEscapes: Readonly<Record<string, number>> = { a: 7, b: 8, e: 27, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

export interface EscapeResult {
  readonly bytes: Uint8Array;
  /** `\c` was seen: output stops here (and echo drops its newline). */
  readonly stopped: boolean;
}

const encoder = new TextEncoder();

/** The value of one hex or octal digit by char code, -1 when it is not a digit of `base`. */
function digitValue(code: number, base: 8 | 16): number {
  if (code >= 0x30 && code <= 0x37) return code - 0x30;
  if (base === 8) return -1;
  if (code >= 0x38 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  return -1;
}

/**
 * Decodes one escape starting after the backslash at `text[at]`. Octal takes up to 3 digits and
 * never exceeds 255; hex up to 2. Returns null when the backslash stands for itself.
 */
function decodeOne(text: string, at: number): { byte: number; next: number } | null {
  const first = text[at];
  if (first === undefined) return null;
  const simple = simpleEscapes[first];
  if (simple !== undefined) return { byte: simple, next: at + 1 };
  const hex = first === 'x';
  const base: 8 | 16 = hex ? 16 : 8;
  const start = hex ? at + 1 : at;
  let value = 0;
  let pos = start;
  while (pos - start < (hex ? 2 : 3)) {
    const digit = digitValue(text.charCodeAt(pos), base);
    if (digit < 0) break;
    const next = value * base + digit;
    if (next > 255) break;
    value = next;
    pos++;
  }
  if (pos === start) return null;
  return { byte: value, next: pos };
}

/**
 * Expands escapes. `leadingZeroOctal` is echo's and %b's rule: `\0NNN` takes three more digits
 * after the 0; printf's format instead reads `\NNN` including a leading 0.
 */
export function expandEscapes(text: string, leadingZeroOctal: boolean): EscapeResult {
  const out: number[] = [];
  let literalStart = 0;
  const flushLiteral = (end: number): void => {
    if (end > literalStart) for (const byte of encoder.encode(text.slice(literalStart, end))) out.push(byte);
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '\\') continue;
    flushLiteral(i);
    if (text[i + 1] === 'c') return { bytes: Uint8Array.from(out), stopped: true };
    let at = i + 1;
    if (leadingZeroOctal && text[at] === '0' && /[0-7]/.test(text[at + 1] ?? '')) at++;
    const decoded = decodeOne(text, at);
    if (decoded === null) {
      out.push(92);
      literalStart = i + 1;
      continue;
    }
    out.push(decoded.byte);
    i = decoded.next - 1;
    literalStart = decoded.next;
  }
  flushLiteral(text.length);
  return { bytes: Uint8Array.from(out), stopped: false };
}
