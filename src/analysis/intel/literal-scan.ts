// Many byte literals searched in one pass over a sample: a 4-byte rolling window, hashed, filters
// positions through a bitset; only the rare hits are compared with the literals. Also searches the
// XOR of neighbouring bytes (how Mirai tables are found whatever their key) without building it.

export interface LiteralPattern {
  readonly bytes: Uint8Array;
  /** Compare with the sample's bytes folded to lowercase (A-Z only); `bytes` are lowercase already. */
  readonly nocase: boolean;
  /** Not preceded or followed by an ASCII letter or digit. */
  readonly fullword: boolean;
}

/** Native indexOf takes ~0.2 ms per literal and MB, the filtered pass ~2 ms for all: below this many, indexOf wins. */
const MIN_PATTERNS_FOR_SCAN = 8;
const WINDOW = 4;
const HASH_BITS = 16;
/** Window ends filtered per call of the hot loop: bounds the candidate buffer. */
const CHUNK = 1 << 16;

/** ASCII A-Z to a-z, everything else unchanged. */
const FOLD: Uint8Array = Uint8Array.from({ length: 256 }, (_, b) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b));
const IDENTITY: Uint8Array = Uint8Array.from({ length: 256 }, (_, b) => b);
/** Letters and digits: what a fullword match must not touch. */
const WORD: Uint8Array = Uint8Array.from({ length: 256 }, (_, b) => ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) ? 1 : 0));

/**
 * For each pattern, the offsets where it occurs in `data`, in order: the first `maxHits` that pass the
 * fullword test among its first `maxScans` occurrences (overlapping ones included), as a
 * `Buffer#indexOf` loop from offset + 1 would find them.
 */
export function findLiterals(data: Uint8Array, patterns: readonly LiteralPattern[], maxHits: number, maxScans: number): number[][] {
  const { scanned, native } = split(patterns);
  const hits = patterns.map((): number[] => []);
  if (native.length > 0) {
    const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let folded: Buffer | null = null;
    for (const i of native) {
      const p = patterns[i]!;
      hits[i] = indexOfHits(p.nocase ? (folded ??= mapBytes(data, (b) => FOLD[b]!)) : buffer, p, maxHits, maxScans);
    }
  }
  if (scanned.length > 0) {
    // Folded windows: one filter serves literals with and without nocase.
    const filter = buildFilter(patterns, scanned, FOLD);
    const check: Check = {
      key: (at) => foldedKey(data, at),
      occurs: (p, at) => matchesAt(data, at, p),
      accepted: (p, at) => !p.fullword || fullwordAt(data, at, p.bytes.length),
    };
    for (let from = WINDOW - 1; from < data.length; from += CHUNK) {
      const count = filterChunk(data, from, Math.min(data.length, from + CHUNK), filter.bits, filter.candidates);
      verify(filter, count, check, patterns, hits, maxHits, maxScans);
    }
  }
  return hits;
}

/**
 * `findLiterals` over d[i] = data[i] ^ data[i + 1] (length - 1 bytes), without building d. Patterns are
 * compared byte for byte (`nocase` and `fullword` do not apply).
 */
export function findNeighbourXorLiterals(data: Uint8Array, patterns: readonly LiteralPattern[], maxHits: number, maxScans: number): number[][] {
  const { scanned, native } = split(patterns);
  if (native.length > 0) {
    const xor = Buffer.allocUnsafe(Math.max(0, data.length - 1));
    for (let i = 0; i < xor.length; i++) xor[i] = data[i]! ^ data[i + 1]!;
    return patterns.map((p) => indexOfHits(xor, { bytes: p.bytes, nocase: false, fullword: false }, maxHits, maxScans));
  }
  const hits = patterns.map((): number[] => []);
  const filter = buildFilter(patterns, scanned, IDENTITY);
  const length = data.length - 1;
  const check: Check = {
    key: (at) => rawKey(data, at) ^ rawKey(data, at + 1),
    occurs: (p, at) => {
      if (at + p.bytes.length > length) return false;
      for (let j = 0; j < p.bytes.length; j++) if ((data[at + j]! ^ data[at + j + 1]!) !== p.bytes[j]) return false;
      return true;
    },
    accepted: () => true,
  };
  for (let from = WINDOW - 1; from < length; from += CHUNK) {
    const count = filterXorChunk(data, from, Math.min(length, from + CHUNK), filter.bits, filter.candidates);
    verify(filter, count, check, patterns, hits, maxHits, maxScans);
  }
  return hits;
}

/** Patterns long enough for the window filter, when there are enough of them; the rest go to indexOf. */
function split(patterns: readonly LiteralPattern[]): { scanned: number[]; native: number[] } {
  const scanned: number[] = [];
  const native: number[] = [];
  patterns.forEach((p, i) => (p.bytes.length >= WINDOW ? scanned : native).push(i));
  if (scanned.length < MIN_PATTERNS_FOR_SCAN) native.push(...scanned.splice(0));
  return { scanned, native };
}

function mapBytes(data: Uint8Array, f: (b: number) => number): Buffer {
  const out = Buffer.allocUnsafe(data.length);
  for (let i = 0; i < data.length; i++) out[i] = f(data[i]!);
  return out;
}

function fullwordAt(data: Uint8Array, at: number, length: number): boolean {
  const before = at > 0 ? WORD[data[at - 1]!]! : 0;
  const after = at + length < data.length ? WORD[data[at + length]!]! : 0;
  return before === 0 && after === 0;
}

function indexOfHits(haystack: Buffer, p: LiteralPattern, maxHits: number, maxScans: number): number[] {
  const out: number[] = [];
  let from = 0;
  for (let scans = 0; scans < maxScans && out.length < maxHits; scans++) {
    const at = haystack.indexOf(p.bytes, from);
    if (at < 0) break;
    if (!p.fullword || fullwordAt(haystack, at, p.bytes.length)) out.push(at);
    from = at + 1;
  }
  return out;
}

const windowHash = (w: number): number => Math.imul(w, 0x9e3779b1) >>> (32 - HASH_BITS);
/** The four bytes at `at`, big-endian, folded. */
const foldedKey = (data: Uint8Array, at: number): number =>
  (FOLD[data[at]!]! << 24) | (FOLD[data[at + 1]!]! << 16) | (FOLD[data[at + 2]!]! << 8) | FOLD[data[at + 3]!]!;
const rawKey = (data: Uint8Array, at: number): number => (data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!;

interface Filter {
  /** One bit per hash of a pattern's first four bytes (mapped through the filter's table). */
  readonly bits: Uint8Array;
  /** Chains of pattern indices per hash, and each pattern's key. */
  readonly head: Int32Array;
  readonly next: Int32Array;
  readonly keys: Int32Array;
  /** Occurrences seen per pattern, for maxScans. */
  readonly scans: Int32Array;
  readonly candidates: Int32Array;
}

interface Check {
  /** The candidate window's key, as the filter's table maps it. */
  readonly key: (at: number) => number;
  /** The pattern is there (an occurrence, counted against maxScans). */
  readonly occurs: (p: LiteralPattern, at: number) => boolean;
  /** The occurrence counts as a hit (fullword). */
  readonly accepted: (p: LiteralPattern, at: number) => boolean;
}

function buildFilter(patterns: readonly LiteralPattern[], which: readonly number[], table: Uint8Array): Filter {
  const filter: Filter = {
    bits: new Uint8Array(1 << (HASH_BITS - 3)),
    head: new Int32Array(1 << HASH_BITS).fill(-1),
    next: new Int32Array(patterns.length).fill(-1),
    keys: new Int32Array(patterns.length),
    scans: new Int32Array(patterns.length),
    candidates: new Int32Array(CHUNK),
  };
  for (const i of which) {
    const b = patterns[i]!.bytes;
    const key = (table[b[0]!]! << 24) | (table[b[1]!]! << 16) | (table[b[2]!]! << 8) | table[b[3]!]!;
    const h = windowHash(key);
    filter.keys[i] = key;
    filter.bits[h >>> 3] = filter.bits[h >>> 3]! | (1 << (h & 7));
    filter.next[i] = filter.head[h]!;
    filter.head[h] = i;
  }
  return filter;
}

/** Candidates that passed the filter: exact key, caps not reached, then the full comparison. */
function verify(filter: Filter, count: number, check: Check, patterns: readonly LiteralPattern[], hits: number[][], maxHits: number, maxScans: number): void {
  const { head, next, keys, scans, candidates } = filter;
  for (let k = 0; k < count; k++) {
    const at = candidates[k]!;
    const w = check.key(at);
    for (let p = head[windowHash(w)]!; p >= 0; p = next[p]!) {
      const pattern = patterns[p]!;
      if (keys[p] !== w || scans[p]! >= maxScans || hits[p]!.length >= maxHits || !check.occurs(pattern, at)) continue;
      scans[p] = scans[p]! + 1;
      if (check.accepted(pattern, at)) hits[p]!.push(at);
    }
  }
}

/** Window starts in [from - 3, to - 3) whose folded window passes the filter. Kept small so the JIT keeps it tight. */
function filterChunk(data: Uint8Array, from: number, to: number, bits: Uint8Array, out: Int32Array): number {
  let w = (FOLD[data[from - 3]!]! << 16) | (FOLD[data[from - 2]!]! << 8) | FOLD[data[from - 1]!]!;
  let k = 0;
  for (let i = from; i < to; i++) {
    w = (w << 8) | FOLD[data[i]!]!;
    const h = windowHash(w);
    if (((bits[h >>> 3]! >> (h & 7)) & 1) !== 0) out[k++] = i - 3;
  }
  return k;
}

/** The same over d[i] = data[i] ^ data[i + 1], for i in [from, to), to <= data.length - 1. */
function filterXorChunk(data: Uint8Array, from: number, to: number, bits: Uint8Array, out: Int32Array): number {
  let w = ((data[from - 3]! ^ data[from - 2]!) << 16) | ((data[from - 2]! ^ data[from - 1]!) << 8) | (data[from - 1]! ^ data[from]!);
  let prev = data[from]!;
  let k = 0;
  for (let i = from; i < to; i++) {
    const b = data[i + 1]!;
    w = (w << 8) | (prev ^ b);
    prev = b;
    const h = windowHash(w);
    if (((bits[h >>> 3]! >> (h & 7)) & 1) !== 0) out[k++] = i - 3;
  }
  return k;
}

function matchesAt(data: Uint8Array, at: number, p: LiteralPattern): boolean {
  const b = p.bytes;
  if (at + b.length > data.length) return false;
  if (p.nocase) {
    for (let j = 0; j < b.length; j++) if (FOLD[data[at + j]!] !== b[j]) return false;
  } else {
    for (let j = 0; j < b.length; j++) if (data[at + j] !== b[j]) return false;
  }
  return true;
}
