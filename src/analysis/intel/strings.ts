// Printable-string extraction from a sample's bytes: ASCII and UTF-16 (LE and BE), with offsets.
// One linear pass over the bytes for all encodings at once, and hard caps so a hostile 100 MB blob cannot blow memory.

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
const PRINTABLE: Uint8Array = Uint8Array.from({ length: 256 }, (_, b) => ((b >= 0x20 && b <= 0x7e) || b === 0x09 ? 1 : 0));

interface Budget {
  strings: number;
  chars: number;
  full: boolean;
}

/** Runs found by the scan, as (start, length in characters) pairs, turned into strings afterwards. */
interface Runs {
  readonly ascii: number[];
  /** Index: 0/1 little-endian at even/odd offsets, 2/3 big-endian at even/odd offsets. */
  readonly wide: readonly number[][];
  /** Per grid, the end of the last UTF-16 run found: a character before it belongs to that run. */
  readonly covered: Int32Array;
  /** Runs kept per list: one more than the budget can take, so a list past it still marks the budget full. */
  readonly cap: number;
}

export function extractStrings(bytes: Uint8Array, limits: Partial<StringLimits> = {}): StringsResult {
  const lim: StringLimits = { ...defaultStringLimits, ...limits };
  const minLength = Math.max(1, lim.minLength);
  const maxLength = lim.maxStringLength;
  const out: ExtractedString[] = [];
  const budget: Budget = { strings: lim.maxStrings, chars: lim.maxTotalChars, full: false };
  const runs: Runs = { ascii: [], wide: [[], [], [], []], covered: new Int32Array(4), cap: 2 * (Math.max(0, lim.maxStrings) + 1) };
  scan(bytes, minLength, runs);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ascii = runs.ascii;
  for (let k = 0; k < ascii.length && !budget.full; k += 2) {
    const start = ascii[k]!;
    take(out, budget, start, latin1(bytes, view, start, Math.min(ascii[k + 1]!, maxLength)), 'ascii');
  }
  // UTF-16 runs at both byte alignments, little- then big-endian, after every ASCII string (budget order).
  const le: ExtractedString[] = [];
  const be: ExtractedString[] = [];
  for (let grid = 0; grid < 4 && !budget.full; grid++) {
    const wide = runs.wide[grid]!;
    const lo = grid < 2 ? 0 : 1;
    for (let k = 0; k < wide.length && !budget.full; k += 2) {
      const start = wide[k]!;
      const keep = Math.min(wide[k + 1]!, maxLength);
      const codes: number[] = [];
      for (let c = 0; c < keep; c++) codes.push(bytes[start + lo + 2 * c]!);
      take(grid < 2 ? le : be, budget, start, String.fromCharCode(...codes), grid < 2 ? 'utf16le' : 'utf16be');
    }
  }
  if (le.length + be.length > 0) {
    out.push(...resolveUtf16(le, be));
    out.sort((a, b) => a.offset - b.offset);
  }
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

/** Most runs are short: String.fromCharCode with the bytes as arguments is ~4x faster per call than Buffer#toString. */
function latin1(b: Uint8Array, view: Buffer, s: number, length: number): string {
  const f = String.fromCharCode;
  switch (length) {
    case 1:
      return f(b[s]!);
    case 2:
      return f(b[s]!, b[s + 1]!);
    case 3:
      return f(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    case 8:
      return f(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
    default:
      return view.toString('latin1', s, s + length);
  }
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

/** Bytes scanned per call of the hot loop: bounds the event buffer whatever the sample size. */
const CHUNK = 1 << 16;

/**
 * One pass over the bytes for ASCII runs. A UTF-16 character is a printable byte next to a NUL, so
 * it sits at the edge of an ASCII run: NUL after the run (little-endian) or before it (big-endian).
 * Only there is the UTF-16 run followed, on its own two-byte grid.
 */
function scan(bytes: Uint8Array, minLength: number, runs: Runs): void {
  const n = bytes.length;
  const { ascii, wide, covered, cap } = runs;
  // run (printable bytes before the chunk's first byte) and whether the byte before it was NUL
  const state = new Int32Array(2);
  const events = new Int32Array(2 * CHUNK + 8);
  for (let from = 0; from < n; from += CHUNK) {
    const count = scanChunk(bytes, from, Math.min(n, from + CHUNK), minLength, state, events);
    for (let k = 0; k < count; k++) {
      const e = events[k]!;
      if (e >= 0) {
        // Past the cap the budget is full when these are taken: nothing later, UTF-16 included, counts.
        if (ascii.length >= cap) return;
        ascii.push(e);
        ascii.push(events[++k]! - e);
        continue;
      }
      const c = ~e >> 1;
      const grid = (~e & 1) * 2 + (c & 1);
      if (c >= covered[grid]!) covered[grid] = wideRun(bytes, c, ~e & 1, minLength, wide[grid]!, cap);
    }
  }
  const run = state[0]!;
  if (run >= minLength && ascii.length < cap) ascii.push(n - run, run);
}

/**
 * The hot loop over bytes [from, to): appends (start, end) of each ASCII run of at least minLength,
 * and ~(2c + 1) / ~(2c) for a big- / little-endian UTF-16 character at c. Runs are counted without a
 * branch: random data flips printable/not every other byte, and a mispredicted branch per byte would
 * cost more than the rest of the loop. Kept small so the JIT keeps its variables in registers.
 */
function scanChunk(bytes: Uint8Array, from: number, to: number, minLength: number, state: Int32Array, events: Int32Array): number {
  let run = state[0]!;
  let prevZero = state[1]!;
  let k = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    const p = PRINTABLE[b]!;
    const zero = (b - 1) >>> 31;
    // run >= minLength, and this byte ends it
    if ((((minLength - 1 - run) >> 31) & (p ^ 1)) !== 0) {
      events[k] = i - run;
      events[k + 1] = i;
      k += 2;
    }
    // printable then NUL: little-endian character at i - 1; NUL then printable: big-endian at i - 1
    if (((zero & (-run >>> 31)) | (prevZero & p)) !== 0) {
      events[k] = ~(2 * (i - 1) + p);
      k++;
    }
    prevZero = zero;
    run = (run + 1) & -p;
  }
  state[0] = run;
  state[1] = prevZero;
  return k;
}

/** Follows the UTF-16 run starting at `first` (`lo` 0: little-endian, 1: big-endian); records it when long enough, returns its end. */
function wideRun(bytes: Uint8Array, first: number, lo: number, minLength: number, runs: number[], cap: number): number {
  const n = bytes.length - 1;
  let i = first;
  while (i < n && bytes[i + 1 - lo] === 0 && PRINTABLE[bytes[i + lo]!] !== 0) i += 2;
  const length = (i - first) / 2;
  if (length >= minLength && runs.length < cap) runs.push(first, length);
  return i;
}
