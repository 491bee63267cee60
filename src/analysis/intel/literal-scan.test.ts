// Tests for the one-pass literal search: the same offsets as an indexOf loop per literal, for case,
// fullword, overlapping occurrences and the hit/scan caps, with many literals and with few; and the
// same over the XOR of neighbouring bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { findLiterals, findNeighbourXorLiterals, type LiteralPattern } from './literal-scan.ts';

/** The reference: indexOf from each occurrence + 1, on a lowered copy for nocase literals. */
function reference(data: Uint8Array, patterns: readonly LiteralPattern[], maxHits: number, maxScans: number): number[][] {
  const raw = Buffer.from(data);
  const lowered = Buffer.from(data.map((b) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b)));
  const word = (b: number | undefined): boolean => b !== undefined && /[A-Za-z0-9]/.test(String.fromCharCode(b));
  return patterns.map((p) => {
    const haystack = p.nocase ? lowered : raw;
    const out: number[] = [];
    let from = 0;
    for (let scans = 0; scans < maxScans && out.length < maxHits; scans++) {
      const at = haystack.indexOf(p.bytes, from);
      if (at < 0) break;
      if (!p.fullword || (!word(haystack[at - 1]) && !word(haystack[at + p.bytes.length]))) out.push(at);
      from = at + 1;
    }
    return out;
  });
}

const alphabet = [0, 0x20, 0x41, 0x42, 0x61, 0x62, 0x2f, 0x31, 0xff];
const bytes = (max: number, min = 0): fc.Arbitrary<Uint8Array> =>
  fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => Uint8Array.from(a));
const pattern = fc.record({
  bytes: fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 7 }).map((a) => Uint8Array.from(a)),
  nocase: fc.boolean(),
  fullword: fc.boolean(),
});

test('many and few literals: the offsets an indexOf loop finds, caps included', () => {
  fc.assert(
    fc.property(bytes(600), fc.array(pattern, { maxLength: 24 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 40 }), (data, patterns, maxHits, maxScans) => {
      // nocase literals are given lowercase, as the rule compiler does
      const given = patterns.map((p) => (p.nocase ? { ...p, bytes: p.bytes.map((b) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b)) } : p));
      assert.deepEqual(findLiterals(data, given, maxHits, maxScans), reference(data, given, maxHits, maxScans));
    }),
    { numRuns: 500 },
  );
});

test('literals cut from the data itself, so that most of them occur, often overlapping', () => {
  const sample = bytes(400, 1).chain((data) => {
    const slice = fc
      .tuple(fc.nat({ max: data.length - 1 }), fc.integer({ min: 1, max: 8 }), fc.boolean(), fc.boolean())
      .map(([at, length, nocase, fullword]) => {
        const cut = data.subarray(at, at + length);
        return { bytes: nocase ? cut.map((b) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b)) : Uint8Array.from(cut), nocase, fullword };
      });
    return fc.tuple(fc.constant(data), fc.array(slice, { maxLength: 30 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 12 }));
  });
  fc.assert(
    fc.property(sample, ([data, patterns, maxHits, maxScans]) => {
      assert.deepEqual(findLiterals(data, patterns, maxHits, maxScans), reference(data, patterns, maxHits, maxScans));
    }),
    { numRuns: 500 },
  );
});

test('a literal at the very start and end, overlapping occurrences, a subarray view', () => {
  const data = Buffer.from('xxAAAAAx/bin/busybox AAAA busybox', 'latin1');
  const patterns: LiteralPattern[] = [
    ...['AAAA', 'busybox', '/bin/busybox', 'xxAA', 'ybox', 'qqqq', 'AAAx', 'x/bi'].map((t) => ({ bytes: Buffer.from(t, 'latin1'), nocase: false, fullword: false })),
    { bytes: Buffer.from('busybox'), nocase: true, fullword: true },
  ];
  assert.deepEqual(findLiterals(data, patterns, 8, 100), reference(data, patterns, 8, 100));
  assert.deepEqual(findLiterals(data, patterns, 8, 100)[0], [2, 3, 21]);
  assert.deepEqual(findLiterals(data, patterns, 8, 100)[8], [13, 26]);
  const view = data.subarray(3);
  assert.deepEqual(findLiterals(view, patterns, 8, 100), reference(view, patterns, 8, 100));
});

test('neighbour-XOR search: the offsets of indexOf over the XORed bytes', () => {
  const xorOf = (data: Uint8Array): Uint8Array => data.subarray(0, Math.max(0, data.length - 1)).map((b, i) => b ^ data[i + 1]!);
  const sample = bytes(400, 1).chain((data) => {
    const xored = xorOf(data);
    const slice = fc
      .tuple(fc.nat({ max: Math.max(0, xored.length - 1) }), fc.integer({ min: 1, max: 8 }))
      .map(([at, length]) => ({ bytes: Uint8Array.from(xored.subarray(at, at + length)), nocase: false, fullword: false }))
      .filter((p) => p.bytes.length > 0);
    return fc.tuple(fc.constant(data), fc.array(xored.length > 0 ? slice : pattern, { maxLength: 30 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 12 }));
  });
  fc.assert(
    fc.property(sample, ([data, patterns, maxHits, maxScans]) => {
      const plain = patterns.map((p) => ({ ...p, nocase: false, fullword: false }));
      assert.deepEqual(findNeighbourXorLiterals(data, plain, maxHits, maxScans), reference(xorOf(data), plain, maxHits, maxScans));
    }),
    { numRuns: 500 },
  );
  assert.deepEqual(findNeighbourXorLiterals(new Uint8Array(0), [{ bytes: Uint8Array.of(1, 2, 3, 4), nocase: false, fullword: false }], 8, 8), [[]]);
});
