// Variant clustering tests: real variants group and unrelated data stays apart, the incremental index
// equals a naive all-pairs union-find (including L/Q wrap-around), ids are stable, summaries count right.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_CLUSTER_THRESHOLD, VariantClusters, clusterSamples } from './clusters.ts';
import type { Cluster, SampleDigest } from './clusters.ts';
import { summariseFamilies } from './family-summary.ts';
import { tlshDigest, tlshDistance } from './tlsh.ts';

function pseudoRandom(seed: number, length: number): Uint8Array {
  let x = Math.imul(seed, 0x9e3779b1) ^ 0x5bd1e995 || 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A variant of `base`: a few patched bytes and a replaced "config string" region. */
function variant(base: Uint8Array, seed: number): Uint8Array {
  const out = Uint8Array.from(base);
  const patch = pseudoRandom(seed, 64);
  for (let i = 0; i < 8; i++) out[(patch[i]! * 997 + i * 4099) % out.length] = patch[i + 8]!;
  out.set(patch.subarray(16, 48), (seed * 131) % (out.length - 32));
  return out;
}

const sha = (name: string): string => Buffer.from(name).toString('hex').padEnd(64, '0');

/** Reference answer: union-find over every pair. */
function naiveClusters(samples: readonly SampleDigest[], threshold: number): Cluster[] {
  const parent = samples.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      const a = samples[i]!.digest;
      const b = samples[j]!.digest;
      if (a !== null && b !== null && tlshDistance(a, b) <= threshold) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, SampleDigest[]>();
  samples.forEach((s, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), s]));
  const key = (s: SampleDigest): [number, string] => [s.firstSeen ?? Number.POSITIVE_INFINITY, s.sha256];
  return [...groups.values()]
    .map((members) => {
      const oldest = members.reduce((m, s) => {
        const [fm, hm] = key(m);
        const [fs, hs] = key(s);
        return fs < fm || (fs === fm && hs < hm) ? s : m;
      });
      return { id: oldest.sha256, members: members.map((s) => s.sha256).sort(), digested: members[0]!.digest !== null };
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

const hex = (b: number): string => b.toString(16).toUpperCase().padStart(2, '0');
const swap = (b: number): number => ((b & 15) << 4) | (b >> 4);
function makeDigest(checksum: number, lvalue: number, q1: number, q2: number, body: readonly number[]): string {
  return 'T1' + hex(swap(checksum)) + hex(swap(lvalue)) + hex(swap(q1 | (q2 << 4))) + body.map(hex).join('');
}

test('variants of one base group together; unrelated samples stay apart', () => {
  const baseA = pseudoRandom(1, 80_000);
  const baseB = pseudoRandom(2, 120_000);
  const samples: SampleDigest[] = [];
  for (let i = 0; i < 5; i++) samples.push({ sha256: sha(`a${i}`), digest: tlshDigest(variant(baseA, 10 + i)) });
  for (let i = 0; i < 4; i++) samples.push({ sha256: sha(`b${i}`), digest: tlshDigest(variant(baseB, 20 + i)) });
  for (let i = 0; i < 3; i++) samples.push({ sha256: sha(`c${i}`), digest: tlshDigest(pseudoRandom(30 + i, 90_000)) });
  samples.push({ sha256: sha('d0'), digest: tlshDigest(new Uint8Array(10)) });
  const clusters = clusterSamples(samples);
  assert.deepEqual(
    clusters.map((c) => c.members.length),
    [5, 4, 1, 1, 1, 1],
  );
  assert.deepEqual(clusters[0]!.members, [0, 1, 2, 3, 4].map((i) => sha(`a${i}`)));
  assert.equal(clusters[0]!.id, sha('a0'));
  assert.deepEqual(clusters.find((c) => c.id === sha('d0')), { id: sha('d0'), members: [sha('d0')], digested: false });
  assert.deepEqual(clusters, naiveClusters(samples, DEFAULT_CLUSTER_THRESHOLD));
});

test('incremental adds equal the all-pairs answer for any order and threshold (modular L/Q wrap included)', () => {
  const body = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 32, maxLength: 32 });
  const base = fc.record({ lvalue: fc.constantFrom(0, 1, 2, 128, 254, 255), q1: fc.integer({ min: 0, max: 15 }), q2: fc.integer({ min: 0, max: 15 }), body });
  const tweak = fc.record({ base: fc.nat(), dl: fc.integer({ min: -4, max: 4 }), dq1: fc.integer({ min: -3, max: 3 }), dq2: fc.integer({ min: -3, max: 3 }), flips: fc.array(fc.nat({ max: 127 }), { maxLength: 12 }), checksum: fc.nat({ max: 255 }), firstSeen: fc.option(fc.nat({ max: 5 })) });
  fc.assert(
    fc.property(fc.array(base, { minLength: 1, maxLength: 4 }), fc.array(tweak, { minLength: 1, maxLength: 40 }), fc.constantFrom(0, 12, 30, 70, 150, 400), fc.nat(), (bases, tweaks, threshold, shuffleSeed) => {
      const samples: SampleDigest[] = tweaks.map((t, i) => {
        const b = bases[t.base % bases.length]!;
        const code = [...b.body];
        for (const bucket of t.flips) code[bucket >> 2] = code[bucket >> 2]! ^ (1 << ((bucket & 3) * 2));
        const digest = i % 9 === 8 ? null : makeDigest(t.checksum, (b.lvalue + t.dl + 256) % 256, (b.q1 + t.dq1 + 16) % 16, (b.q2 + t.dq2 + 16) % 16, code);
        return { sha256: sha(`s${i}`), digest, ...(t.firstSeen === null ? {} : { firstSeen: t.firstSeen }) };
      });
      const expected = naiveClusters(samples, threshold);
      const shuffled = [...samples].sort((x, y) => ((x.sha256.charCodeAt(1) * 31 + shuffleSeed) % 17) - ((y.sha256.charCodeAt(1) * 31 + shuffleSeed) % 17));
      const index = new VariantClusters({ threshold });
      for (const s of shuffled) index.addSample(s);
      assert.deepEqual(index.clusters(), expected);
      for (const c of expected) for (const m of c.members) assert.equal(index.clusterOf(m), c.id);
    }),
    { numRuns: 150 },
  );
});

test('cluster ids are stable: later members keep the id, a merge keeps the older one, re-sighting is idempotent', () => {
  // bodies 40 apart (10 bytes of 0x00 -> 0x55 is 40 one-step pair changes): A-B 40, B-C 40, A-C 80
  const body = (changed: number): number[] => Array.from({ length: 32 }, (_, i) => (i < changed ? 0x55 : 0));
  const a = { sha256: sha('a'), digest: makeDigest(1, 60, 3, 7, body(0)), firstSeen: 1000 };
  const b = { sha256: sha('b'), digest: makeDigest(1, 60, 3, 7, body(10)), firstSeen: 3000 };
  const c = { sha256: sha('c'), digest: makeDigest(1, 60, 3, 7, body(20)), firstSeen: 500 };
  const index = new VariantClusters();
  assert.equal(index.addSample(a), sha('a'));
  // a smaller sha seen later joins without renaming the cluster
  assert.equal(index.addSample({ sha256: sha('0'), digest: a.digest, firstSeen: 2000 }), sha('a'));
  assert.equal(index.addSample(c), sha('c'));
  assert.equal(index.clusters().length, 2);
  // the bridge merges both; the merged cluster is named after its oldest sample
  assert.equal(index.addSample(b), sha('c'));
  assert.equal(index.clusterOf(sha('0')), sha('c'));
  assert.equal(index.clusters().length, 1);
  assert.equal(index.addSample(b), sha('c'));
  assert.equal(index.size, 4);
  // an earlier sighting reported late renames the cluster to that sample
  assert.equal(index.addSample({ ...a, firstSeen: 1 }), sha('a'));
  assert.equal(index.clusterOf(sha('b')), sha('a'));
});

test('the header index prunes comparisons when lengths and quartile ratios spread', () => {
  const samples = Array.from({ length: 300 }, (_, i) => {
    const r = pseudoRandom(i + 1, 40);
    return { sha256: sha(`p${i}`), digest: makeDigest(r[0]!, r[1]!, r[2]! & 15, r[3]! & 15, [...r.subarray(4, 36)]) };
  });
  const index = new VariantClusters();
  for (const s of samples) index.addSample(s);
  assert.ok(index.comparisons < (300 * 299) / 2 / 20, `${index.comparisons} comparisons`);
  assert.deepEqual(index.clusters(), naiveClusters(samples, DEFAULT_CLUSTER_THRESHOLD));
});

test('bad thresholds are refused', () => {
  assert.throws(() => new VariantClusters({ threshold: -1 }), RangeError);
  assert.throws(() => new VariantClusters({ threshold: 1.5 }), RangeError);
});

test('summary: families by label, variants by cluster, mixed clusters flagged', () => {
  const clusters: Cluster[] = [
    { id: 'a', members: ['a', 'a2', 'a3'], digested: true },
    { id: 'b', members: ['b'], digested: true },
    { id: 'c', members: ['c', 'c2'], digested: true },
    { id: 'd', members: ['d'], digested: false },
  ];
  const labels = new Map([
    ['a', 'mirai'],
    ['a2', 'mirai'],
    ['a3', 'mirai'],
    ['b', 'mirai'],
    ['c', 'gafgyt'],
    ['c2', 'mirai'],
  ]);
  assert.deepEqual(summariseFamilies(clusters, labels), {
    samples: 7,
    families: 2,
    variants: 4,
    undigested: 1,
    unlabelled: 1,
    perFamily: [
      { family: 'mirai', samples: 5, variants: 3 },
      { family: 'gafgyt', samples: 1, variants: 1 },
    ],
    mixedClusters: ['c'],
  });
});
