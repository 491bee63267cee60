// TLSH (Trend Micro locality-sensitive hash) digests and distances, byte-exact with the reference
// TLSH 4.x ("T1" + 70 hex digits, 128 buckets, 1-byte checksum); written here because the npm port is ~130 ms/MB.
import { lengthCapture, saltTable } from './tlsh-tables.ts';

/** Reference MIN_DATA_LENGTH (TLSH >= 3.17 default mode). */
export const TLSH_MIN_BYTES = 50;

export type TlshResult =
  | { readonly ok: true; readonly digest: string }
  | { readonly ok: false; readonly reason: 'too-short' | 'too-little-variety'; readonly detail: string };

/** Decoded digest: header fields and the 32 body bytes in digest-string order. */
export interface TlshParsed {
  readonly checksum: number;
  readonly lvalue: number;
  readonly q1: number;
  readonly q2: number;
  readonly body: Uint8Array;
  /** the body as eight little-endian 32-bit words, for the word-parallel distance */
  readonly words: Uint32Array;
}

// Salts 0 (checksum), 2, 3, 5, 7, 11, 13 (bucket triplets) as in TlshImpl::update with a window of 5,
// after the Pearson permutation itself at [0, 256).
const SALTS = saltTable([0, 2, 3, 5, 7, 11, 13]);
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));

const swapNibbles = (b: number): number => ((b & 0x0f) << 4) | (b >> 4);

/** Digest with the reason when there is none: under 50 bytes, or under half the buckets filled. */
export function tlshAnalyse(data: Uint8Array): TlshResult {
  const n = data.length;
  if (n < TLSH_MIN_BYTES) return { ok: false, reason: 'too-short', detail: `${n} bytes; TLSH needs at least ${TLSH_MIN_BYTES}` };
  const { buckets, checksum } = countTriplets(data);
  // Only the first 128 buckets count (EFF_BUCKETS); quartiles are the 32nd/64th/96th smallest counts.
  const used = buckets.subarray(0, 128);
  const sorted = Uint32Array.from(used).sort();
  const q1 = sorted[31]!;
  const q2 = sorted[63]!;
  const q3 = sorted[95]!;
  let nonzero = 0;
  for (const count of used) if (count > 0) nonzero++;
  if (q3 === 0 || nonzero <= 64) {
    return { ok: false, reason: 'too-little-variety', detail: `${nonzero} of 128 buckets used; TLSH needs more than 64` };
  }
  let hex = 'T1' + HEX[swapNibbles(checksum)]! + HEX[swapNibbles(lengthCapture(n))]!;
  // Q ratios in single precision, as the reference computes them: (float)(q*100) / (float)q3.
  const ratio = (q: number): number => Math.trunc(Math.fround(Math.fround(Math.imul(q, 100) >>> 0) / Math.fround(q3))) % 16;
  hex += HEX[swapNibbles(ratio(q1) | (ratio(q2) << 4))]!;
  for (let i = 31; i >= 0; i--) {
    let code = 0;
    for (let j = 0; j < 4; j++) {
      const k = used[4 * i + j]!;
      if (k > q3) code |= 3 << (j * 2);
      else if (k > q2) code |= 2 << (j * 2);
      else if (k > q1) code |= 1 << (j * 2);
    }
    hex += HEX[code]!;
  }
  return { ok: true, digest: hex };
}

/**
 * The sliding-window pass: bucket counts of the six salted triplets and the checksum chain. With
 * T = SALTS, a triplet hash b_mapping(salt k, a, b, c) is `T[T[T[256 * (k + 1) + a] ^ b] ^ c]`: one 2 KB
 * table that stays in L1 (the 64 KB pair tables it replaces did not), read through one base pointer.
 */
function countTriplets(data: Uint8Array): { buckets: Uint32Array; checksum: number } {
  const n = data.length;
  const buckets = new Uint32Array(256);
  const T = SALTS;
  let checksum = 0;
  // window: a4 is the newest byte, a0 the oldest (j, j-1 .. j-4 in the reference)
  let a0 = data[0]!;
  let a1 = data[1]!;
  let a2 = data[2]!;
  let a3 = data[3]!;
  for (let i = 4; i < n; i++) {
    const a4 = data[i]!;
    checksum = T[T[T[256 + a4]! ^ a3]! ^ checksum]!;
    buckets[T[T[T[512 + a4]! ^ a3]! ^ a2]!]!++;
    buckets[T[T[T[768 + a4]! ^ a3]! ^ a1]!]!++;
    buckets[T[T[T[1024 + a4]! ^ a2]! ^ a1]!]!++;
    buckets[T[T[T[1280 + a4]! ^ a2]! ^ a0]!]!++;
    buckets[T[T[T[1536 + a4]! ^ a3]! ^ a0]!]!++;
    buckets[T[T[T[1792 + a4]! ^ a1]! ^ a0]!]!++;
    a0 = a1;
    a1 = a2;
    a2 = a3;
    a3 = a4;
  }
  return { buckets, checksum };
}

/** The "T1…" digest, or null when the input is too short (< 50 bytes) or too uniform for TLSH. */
export function tlshDigest(bytes: Uint8Array): string | null {
  const result = tlshAnalyse(bytes);
  return result.ok ? result.digest : null;
}

const DIGEST_RE = /^(?:T1)?([0-9A-Fa-f]{70})$/;

/** Decodes a digest with or without the "T1" prefix (the pre-4.0 form); null when malformed. */
export function parseTlsh(digest: string): TlshParsed | null {
  const hex = DIGEST_RE.exec(digest)?.[1];
  if (hex === undefined) return null;
  const bytes = Uint8Array.from({ length: 35 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
  const q = swapNibbles(bytes[2]!);
  const body = bytes.slice(3);
  const words = new Uint32Array(8);
  for (let i = 0; i < 32; i++) words[i >> 2] = (words[i >> 2]! | (body[i]! << ((i & 3) * 8))) >>> 0;
  return { checksum: swapNibbles(bytes[0]!), lvalue: swapNibbles(bytes[1]!), q1: q & 0x0f, q2: q >> 4, body, words };
}

const modDiff = (x: number, y: number, range: number): number => {
  const d = Math.abs(x - y);
  return Math.min(d, range - d);
};

/**
 * Reference TlshImpl::totalDiff with len_diff = true (what `tlsh -c` and py-tlsh `diff` report). With
 * `cap`, counting stops once the distance exceeds it (the result is then only known to be > cap).
 */
export function tlshDistanceParsed(a: TlshParsed, b: TlshParsed, cap = Number.POSITIVE_INFINITY): number {
  const ldiff = modDiff(a.lvalue, b.lvalue, 256);
  let diff = ldiff <= 1 ? ldiff : ldiff * 12;
  const q1diff = modDiff(a.q1, b.q1, 16);
  diff += q1diff <= 1 ? q1diff : (q1diff - 1) * 12;
  const q2diff = modDiff(a.q2, b.q2, 16);
  diff += q2diff <= 1 ? q2diff : (q2diff - 1) * 12;
  if (a.checksum !== b.checksum) diff += 1;
  // Body: per 2-bit bucket code |a-b|, a difference of 3 counting 6 (the reference bit_pairs_diff_table),
  // 16 codes per word at once: each differing code counts 1; 0<->2 and 1<->3 (only the high bit differs)
  // 1 more; 0<->3 (both bits differ and a's two bits agree) 1 + 4 more; 1<->2 stays at 1.
  const x = a.words;
  const y = b.words;
  for (let i = 0; i < 8 && diff <= cap; i++) {
    const xi = x[i]!;
    const d = xi ^ y[i]!;
    const low = d & 0x55555555;
    const high = (d >>> 1) & 0x55555555;
    const far = low & high & ~(xi ^ (xi >>> 1)) & 0x55555555;
    diff += popcount(low | high | (((high & ~low) | far) << 1)) + 4 * popcount(far);
  }
  return diff;
}

function popcount(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Distance between two digests: 0 identical, under ~50 close variants, 200+ unrelated. Throws on a malformed digest. */
export function tlshDistance(a: string, b: string): number {
  const pa = parseTlsh(a);
  const pb = parseTlsh(b);
  if (pa === null || pb === null) throw new TypeError(`not a TLSH digest: ${JSON.stringify(pa === null ? a : b).slice(0, 80)}`);
  return tlshDistanceParsed(pa, pb);
}
