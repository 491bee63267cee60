// TLSH tests: published reference vectors, agreement with the independent npm port, null cases,
// distances for near-duplicates versus unrelated data, digest parsing and the speed budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import packageHash from 'tlsh';
import PackageDigestBuilder from 'tlsh/lib/digests/digest-hash-builder.js';
import { TLSH_MIN_BYTES, parseTlsh, tlshAnalyse, tlshDigest, tlshDistance, tlshDistanceParsed } from './tlsh.ts';
import { lengthCapture } from './tlsh-tables.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Deterministic bytes: xorshift32 stream folded onto an alphabet of `alphabet` symbols. */
function pseudoRandom(seed: number, length: number, alphabet = 256): Uint8Array {
  let x = Math.imul(seed, 0x9e3779b1) ^ 0x5bd1e995 || 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % alphabet;
  }
  return out;
}

/** The npm port (pre-4.0 format) with the "T1" prefix added, or null where it throws. */
function packageDigest(bytes: Uint8Array): string | null {
  try {
    return 'T1' + packageHash(Buffer.from(bytes).toString('latin1'));
  } catch {
    return null;
  }
}

test('published TLSH 4.x vectors (py-tlsh) under 512 bytes, where the npm port cannot hash', () => {
  const fox = 'The quick brown fox jumps over the lazy dog.'.repeat(5) + 'The quick brown fox jumps over the lazy dog';
  assert.equal(tlshDigest(enc(fox)), 'T1F7D0024A251C5294648A1888438D98B292C8C51161211421643460022908221DCD8551');
  const short = "A minimum string length must be 256 bytes! That's so much text this means it's not super useful for finding short text!";
  assert.equal(tlshDigest(enc(short)), 'T1DFB092A1724AC2C0D3CA48452291EA04A5B75EB903A6E7577A54118FFA8148E98F9426');
});

test('digests equal the npm port on varied inputs of 512 bytes .. 60 KB', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 0x7fffffff }), fc.integer({ min: 512, max: 60_000 }), fc.constantFrom(2, 3, 5, 16, 64, 256), (seed, len, alphabet) => {
      const bytes = pseudoRandom(seed, len, alphabet);
      assert.equal(tlshDigest(bytes), packageDigest(bytes));
    }),
    { numRuns: 60 },
  );
});

test('distances equal the npm port, with and without the T1 prefix', () => {
  const digests = [1, 2, 3, 4, 5, 6].map((seed) => tlshDigest(pseudoRandom(seed, 4096 * seed, seed * 40))!);
  for (const a of digests) {
    for (const b of digests) {
      const expected = new PackageDigestBuilder().withHash(a.slice(2)).build().calculateDifference(new PackageDigestBuilder().withHash(b.slice(2)).build(), true);
      assert.equal(tlshDistance(a, b), expected);
      assert.equal(tlshDistance(a.slice(2).toLowerCase(), b), expected);
    }
  }
});

test('distances equal the npm port on arbitrary digest strings; the capped form is exact up to the cap', () => {
  const digest = fc.uint8Array({ minLength: 35, maxLength: 35 }).map((b) => Buffer.from(b).toString('hex').toUpperCase());
  fc.assert(
    fc.property(digest, digest, fc.nat({ max: 400 }), (a, b, cap) => {
      const expected = new PackageDigestBuilder().withHash(a).build().calculateDifference(new PackageDigestBuilder().withHash(b).build(), true);
      assert.equal(tlshDistance('T1' + a, 'T1' + b), expected);
      // with a cap the answer is exact up to the cap and only "more than cap" beyond it
      const capped = tlshDistanceParsed(parseTlsh(a)!, parseTlsh(b)!, cap);
      if (expected <= cap) assert.equal(capped, expected);
      else assert.ok(capped > cap);
    }),
    { numRuns: 2000 },
  );
});

test('the L-value follows the 4.x topval table, not the float log of older versions', () => {
  assert.equal(lengthCapture(50), 9);
  assert.equal(lengthCapture(656), 15);
  assert.equal(lengthCapture(657), 16);
  assert.equal(lengthCapture(190_335), 64);
  assert.equal(lengthCapture(190_336), 65); // log formula (npm port, Debian 3.4.4) says 64 here
  assert.equal(lengthCapture(5_000_000_000), 169);
  const atBoundary = tlshDigest(pseudoRandom(9, 190_336));
  assert.equal(parseTlsh(atBoundary!)!.lvalue, 65);
});

test('too short or too uniform inputs give null, with the reason', () => {
  assert.equal(tlshDigest(new Uint8Array(0)), null);
  const short = tlshAnalyse(pseudoRandom(3, TLSH_MIN_BYTES - 1));
  assert.equal(short.ok, false);
  assert.equal(short.ok ? '' : short.reason, 'too-short');
  assert.notEqual(tlshDigest(Uint8Array.from({ length: TLSH_MIN_BYTES }, (_, i) => i)), null);
  for (const uniform of [new Uint8Array(1 << 20), enc('ab'.repeat(5000)), new Uint8Array(4096).fill(0x90)]) {
    const result = tlshAnalyse(uniform);
    assert.equal(result.ok, false);
    assert.equal(result.ok ? '' : result.reason, 'too-little-variety');
  }
});

test('near-duplicates are close, unrelated data is far', () => {
  const base = pseudoRandom(42, 65_536);
  const flipped = Uint8Array.from(base);
  for (let i = 0; i < 10; i++) flipped[i * 6000 + 17]! ^= 0x55;
  const inserted = new Uint8Array(base.length + 100);
  inserted.set(base.subarray(0, 30_000));
  inserted.set(pseudoRandom(7, 100), 30_000);
  inserted.set(base.subarray(30_000), 30_100);
  const d0 = tlshDigest(base)!;
  assert.equal(tlshDistance(d0, d0), 0);
  assert.ok(tlshDistance(d0, tlshDigest(flipped)!) < 30);
  assert.ok(tlshDistance(d0, tlshDigest(inserted)!) < 30);
  for (const seed of [100, 200, 300]) assert.ok(tlshDistance(d0, tlshDigest(pseudoRandom(seed, 65_536))!) > 150);

  const words = 'root admin busybox wget tftp chmod echo cat proc cpuinfo scanner killer table attack udp syn http flood'.split(' ');
  const stream = pseudoRandom(5, 3000, words.length);
  const text = Array.from(stream, (w) => words[w]).join(' ');
  const edited = text.replace('busybox', 'BUSYBOX-v2').slice(0, 15_000) + ' an extra line ' + text.slice(15_000);
  const other = Array.from({ length: 3000 }, (_, i) => `line ${i}: the quick brown fox ${(i * 7) % 13}`).join('\n');
  assert.ok(tlshDistance(tlshDigest(enc(text))!, tlshDigest(enc(edited))!) < 30);
  assert.ok(tlshDistance(tlshDigest(enc(text))!, tlshDigest(enc(other))!) > 150);
});

test('the distance is symmetric and malformed digests are refused', () => {
  const a = tlshDigest(pseudoRandom(1, 5000))!;
  const b = tlshDigest(pseudoRandom(2, 9000))!;
  assert.equal(tlshDistance(a, b), tlshDistance(b, a));
  assert.equal(parseTlsh('T1' + 'G'.repeat(70)), null);
  assert.equal(parseTlsh(a.slice(0, -1)), null);
  assert.equal(parseTlsh(a + '0'), null);
  assert.throws(() => tlshDistance(a, 'TNULL'), TypeError);
});

test('1 MB digests well within the 20 ms budget (regression guard: median of 5 under 40 ms)', () => {
  const big = pseudoRandom(77, 1 << 20);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    tlshDigest(big);
    times.push(performance.now() - start);
  }
  times.sort((x, y) => x - y);
  assert.ok(times[2]! < 40, `median ${times[2]!.toFixed(1)} ms`);
});
