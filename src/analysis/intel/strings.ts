// Printable-string extraction from a sample's bytes: ASCII and UTF-16 (LE and BE), with offsets.
// One linear pass per encoding, and hard caps so a hostile 100 MB blob of letters cannot blow memory.

export type StringEncoding = 'ascii' | 'utf16le' | 'utf16be';

export interface ExtractedString {
  /** Byte offset of the first character in the sample. */
  readonly offset: number;
  readonly text: string;
  readonly encoding: StringEncoding;
}

export interface StringLimits {
  /** Shortest run reported, in characters. */
  readonly minLength: number;
  /** Longest text kept per string; a longer run is reported cut to this length. */
  readonly maxStringLength: number;
  readonly maxStrings: number;
  /** Sum of reported text lengths, all encodings together. */
  readonly maxTotalChars: number;
}

export const defaultStringLimits: StringLimits = { minLength: 4, maxStringLength: 4096, maxStrings: 50_000, maxTotalChars: 4 * 1024 * 1024 };

export interface StringsResult {
  /** Sorted by offset. */
  readonly strings: readonly ExtractedString[];
  /** True when a cap stopped extraction early (a cut long string alone does not count). */
  readonly truncated: boolean;
}

/** Printable ASCII plus tab: what `strings` reports. */
function printable(byte: number): boolean {
  return (byte >= 0x20 && byte <= 0x7e) || byte === 0x09;
}

/** The high byte must be zero and the low byte printable for an ASCII-range UTF-16 code unit. */
function utf16Char(bytes: Uint8Array, i: number, lo: number): boolean {
  return bytes[i + 1 - lo] === 0 && printable(bytes[i + lo]!);
}

interface Budget {
  strings: number;
  chars: number;
  full: boolean;
}

export function extractStrings(bytes: Uint8Array, limits: Partial<StringLimits> = {}): StringsResult {
  const lim: StringLimits = { ...defaultStringLimits, ...limits };
  const minLength = Math.max(1, lim.minLength);
  const out: ExtractedString[] = [];
  const budget: Budget = { strings: lim.maxStrings, chars: lim.maxTotalChars, full: false };
  scanAscii(bytes, minLength, lim.maxStringLength, out, budget);
  // UTF-16 runs at both byte alignments, little- then big-endian.
  const le: ExtractedString[] = [];
  const be: ExtractedString[] = [];
  for (const start of [0, 1]) scanUtf16(bytes, start, 'utf16le', minLength, lim.maxStringLength, le, budget);
  for (const start of [0, 1]) scanUtf16(bytes, start, 'utf16be', minLength, lim.maxStringLength, be, budget);
  out.push(...resolveUtf16(le, be));
  out.sort((a, b) => a.offset - b.offset);
  return { strings: out, truncated: budget.full };
}

/**
 * Every UTF-16 run also reads, one byte shifted, as a run of the other byte order. Of two such
 * readings the longer is kept (the shifted one loses a character); on a tie, little-endian.
 */
function resolveUtf16(le: readonly ExtractedString[], be: readonly ExtractedString[]): ExtractedString[] {
  const leAt = new Map(le.map((s) => [s.offset, s]));
  const dropped = new Set<ExtractedString>();
  for (const b of be) {
    for (const l of [leAt.get(b.offset - 1), leAt.get(b.offset + 1)]) {
      if (!l || dropped.has(l)) continue;
      dropped.add(b.text.length > l.text.length ? l : b);
      break;
    }
  }
  return [...le, ...be].filter((s) => !dropped.has(s));
}

function take(out: ExtractedString[], budget: Budget, offset: number, text: string, encoding: StringEncoding): void {
  if (budget.strings <= 0 || budget.chars < text.length) {
    budget.full = true;
    return;
  }
  budget.strings--;
  budget.chars -= text.length;
  out.push({ offset, text, encoding });
}

function scanAscii(bytes: Uint8Array, minLength: number, maxLength: number, out: ExtractedString[], budget: Budget): void {
  const n = bytes.length;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let i = 0;
  while (i < n && !budget.full) {
    if (!printable(bytes[i]!)) {
      i++;
      continue;
    }
    const start = i;
    while (i < n && printable(bytes[i]!)) i++;
    const length = i - start;
    if (length >= minLength) {
      const keep = Math.min(length, maxLength);
      take(out, budget, start, view.toString('latin1', start, start + keep), 'ascii');
    }
  }
}

function scanUtf16(
  bytes: Uint8Array,
  first: number,
  encoding: 'utf16le' | 'utf16be',
  minLength: number,
  maxLength: number,
  out: ExtractedString[],
  budget: Budget,
): void {
  const n = bytes.length - 1;
  const lo = encoding === 'utf16le' ? 0 : 1;
  let i = first;
  const codes: number[] = [];
  while (i < n && !budget.full) {
    if (!utf16Char(bytes, i, lo)) {
      i += 2;
      continue;
    }
    const start = i;
    codes.length = 0;
    while (i < n && utf16Char(bytes, i, lo)) {
      if (codes.length < maxLength) codes.push(bytes[i + lo]!);
      i += 2;
    }
    const length = (i - start) / 2;
    if (length >= minLength) take(out, budget, start, String.fromCharCode(...codes), encoding);
  }
}
