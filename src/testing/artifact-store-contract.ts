// The shared contract every artifact store passes: round trip, dedupe, checked ids (no path tricks),
// empty content, size cap with least-recently-seen eviction, retention sweeps, concurrent puts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { ArtifactCapOptions, ArtifactEvictReason, ManagedArtifactStore } from '../storage/artifact-store-api.ts';
import { ArtifactStoreFullError, DAY_MS } from '../storage/artifact-store-api.ts';

export type ArtifactStoreFactory = (options: ArtifactCapOptions) => Promise<{ store: ManagedArtifactStore; dispose: () => Promise<void> }>;

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
/** `n` bytes that differ per `tag`, so each call makes a distinct sample. */
const sample = (tag: string, n: number): Uint8Array => bytes(tag.padEnd(n, '.').slice(0, n));
const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 1);

const isRefusal = (reason: string) => (error: unknown) => error instanceof ArtifactStoreFullError && error.reason === reason && /full/.test(error.message);

export function runArtifactStoreContract(name: string, make: ArtifactStoreFactory): void {
  /** A fresh store on a fake clock that starts at T0; `evictions` collects what onEvict reported. */
  const withStore = async (
    options: Omit<ArtifactCapOptions, 'now' | 'onEvict'>,
    body: (store: ManagedArtifactStore, clock: { t: number }, evictions: [string, number, ArtifactEvictReason][]) => Promise<void>,
  ): Promise<void> => {
    const clock = { t: T0 };
    const evictions: [string, number, ArtifactEvictReason][] = [];
    const { store, dispose } = await make({ minAgeMs: 10 * MIN, ...options, now: () => clock.t, onEvict: (s, n, r) => evictions.push([s, n, r]) });
    try {
      await body(store, clock, evictions);
    } finally {
      await dispose();
    }
  };
  const put = (store: ManagedArtifactStore, data: Uint8Array) => store.put(sha(data), data);

  test(`${name}: put then get returns the same bytes; a second put is not new`, () =>
    withStore({ maxTotalBytes: 1 << 20 }, async (store) => {
      const data = bytes('\x7fELF dropper');
      const id = sha(data);
      assert.equal(await store.has(id), false);
      assert.deepEqual(await store.put(id, data), { isNew: true });
      assert.deepEqual(await store.put(id, data), { isNew: false });
      assert.equal(await store.has(id), true);
      assert.deepEqual(await store.get(id), data);
      assert.equal(await store.get(sha(bytes('other'))), null);
    }));

  test(`${name}: empty content is a real artifact`, () =>
    withStore({ maxTotalBytes: 1 << 20 }, async (store) => {
      const empty = new Uint8Array(0);
      assert.deepEqual(await put(store, empty), { isNew: true });
      assert.deepEqual(await store.get(sha(empty)), empty);
    }));

  test(`${name}: ids that are not 64 lowercase hex never reach a path`, () =>
    withStore({ maxTotalBytes: 1 << 20 }, async (store) => {
      for (const bad of ['../../etc/passwd', `${'a'.repeat(62)}/x`, 'A'.repeat(64), '', `${'0'.repeat(64)}\0`, '..']) {
        assert.equal(await store.get(bad), null);
        assert.equal(await store.has(bad), false);
        assert.equal(await store.remove(bad), false);
        await assert.rejects(store.put(bad, bytes('x')), TypeError);
      }
    }));

  test(`${name}: bytes that do not match their id are refused`, () =>
    withStore({ maxTotalBytes: 1 << 20 }, async (store) => {
      await assert.rejects(store.put(sha(bytes('a')), bytes('b')), /mismatch/);
    }));

  test(`${name}: at the cap, fresh samples are not evicted: new bytes are refused, known bytes still dedupe`, () =>
    withStore({ maxTotalBytes: 10 }, async (store, clock, evictions) => {
      const a = bytes('12345678');
      await put(store, a);
      clock.t += 9 * MIN;
      await assert.rejects(put(store, bytes('abc')), isRefusal('full'));
      assert.deepEqual(await put(store, a), { isNew: false });
      assert.deepEqual(await put(store, bytes('xy')), { isNew: true });
      assert.deepEqual(await store.get(sha(a)), a);
      assert.deepEqual(evictions, []);
      assert.deepEqual(await store.stats(), { count: 2, bytes: 10, maxBytes: 10, refused: 1, evicted: 0, expired: 0 });
    }));

  test(`${name}: past the cap the least recently seen samples go first; storing again counts as seen`, () =>
    withStore({ maxTotalBytes: 30 }, async (store, clock, evictions) => {
      const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((tag) => sample(tag, 10)) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
      for (const s of [a, b, c]) {
        await put(store, s);
        clock.t += MIN;
      }
      clock.t = T0 + 30 * MIN;
      assert.deepEqual(await put(store, a), { isNew: false }); // a is now the most recently seen
      clock.t += MIN;
      assert.deepEqual(await put(store, d), { isNew: true });
      assert.deepEqual(evictions, [[sha(b), 10, 'size-cap']]);
      assert.equal(await store.get(sha(b)), null);
      assert.equal(await store.has(sha(b)), false);
      assert.deepEqual((await store.list()).map((e) => e.sha256), [c, a, d].map(sha));
      assert.deepEqual(await store.stats(), { count: 3, bytes: 30, maxBytes: 30, refused: 0, evicted: 1, expired: 0 });
      // A bigger sample takes as many as it needs, oldest first, never the rest.
      clock.t += 20 * MIN;
      const big = sample('big', 25);
      await put(store, big);
      assert.deepEqual(evictions.slice(1).map((e) => e[0]), [c, a, d].map(sha));
      assert.deepEqual(await store.list(), [{ sha256: sha(big), size: 25, lastSeen: clock.t }]);
      // Evicted bytes come back as new ones.
      clock.t += 20 * MIN;
      assert.deepEqual(await put(store, b), { isNew: true });
      assert.deepEqual(await store.get(sha(b)), b);
    }));

  test(`${name}: when every stored sample is too young to go, the put is refused and nothing is evicted`, () =>
    withStore({ maxTotalBytes: 20 }, async (store, clock, evictions) => {
      const [a, b, c] = ['a', 'b', 'c'].map((tag) => sample(tag, 10)) as [Uint8Array, Uint8Array, Uint8Array];
      await put(store, a);
      clock.t += 5 * MIN;
      await put(store, b);
      clock.t += MIN;
      await assert.rejects(put(store, c), isRefusal('full'));
      assert.deepEqual(evictions, []);
      assert.deepEqual(await store.get(sha(a)), a);
      clock.t = T0 + 10 * MIN; // a is exactly the minimum age now, b still younger
      assert.deepEqual(await put(store, c), { isNew: true });
      assert.deepEqual(evictions, [[sha(a), 10, 'size-cap']]);
      assert.deepEqual(await store.get(sha(b)), b);
    }));

  test(`${name}: a sample bigger than the whole cap is refused without evicting anything`, () =>
    withStore({ maxTotalBytes: 10 }, async (store, clock, evictions) => {
      await put(store, sample('old', 4));
      clock.t += DAY_MS;
      await assert.rejects(put(store, sample('huge', 11)), isRefusal('too-big'));
      assert.deepEqual(evictions, []);
      assert.equal((await store.stats()).refused, 1);
    }));

  test(`${name}: with eviction off a full store refuses like before`, () =>
    withStore({ maxTotalBytes: 10, evict: false }, async (store, clock, evictions) => {
      await put(store, sample('old', 10));
      clock.t += DAY_MS;
      await assert.rejects(put(store, sample('new', 1)), isRefusal('full'));
      assert.deepEqual(evictions, []);
    }));

  test(`${name}: sweep deletes samples not seen for retentionDays, reporting each`, () =>
    withStore({ maxTotalBytes: 1 << 20, retentionDays: 2 }, async (store, clock, evictions) => {
      const [a, b] = [sample('a', 3), sample('b', 5)];
      await put(store, a);
      clock.t += DAY_MS;
      await put(store, b);
      assert.deepEqual(await store.sweep(T0 + 2 * DAY_MS), { removed: 0, bytes: 0 }); // a is exactly 2 days old
      clock.t = T0 + 2.5 * DAY_MS;
      assert.deepEqual(await store.sweep(), { removed: 1, bytes: 3 });
      assert.deepEqual(evictions, [[sha(a), 3, 'retention']]);
      assert.equal(await store.get(sha(a)), null);
      await put(store, b); // seen again: its clock restarts
      assert.deepEqual(await store.sweep(T0 + 4 * DAY_MS), { removed: 0, bytes: 0 });
      assert.deepEqual(await store.get(sha(b)), b);
      assert.deepEqual(await store.stats(), { count: 1, bytes: 5, maxBytes: 1 << 20, refused: 0, evicted: 0, expired: 1 });
    }));

  test(`${name}: retention 0 keeps everything forever`, () =>
    withStore({ maxTotalBytes: 1 << 20 }, async (store, _clock, evictions) => {
      await put(store, sample('a', 3));
      assert.deepEqual(await store.sweep(T0 + 10_000 * DAY_MS), { removed: 0, bytes: 0 });
      assert.deepEqual(evictions, []);
    }));

  test(`${name}: remove deletes one sample quietly; it can be stored again`, () =>
    withStore({ maxTotalBytes: 1 << 20 }, async (store, _clock, evictions) => {
      const a = sample('a', 7);
      await put(store, a);
      assert.equal(await store.remove(sha(a)), true);
      assert.equal(await store.remove(sha(a)), false);
      assert.equal(await store.get(sha(a)), null);
      assert.deepEqual(await store.stats(), { count: 0, bytes: 0, maxBytes: 1 << 20, refused: 0, evicted: 0, expired: 0 });
      assert.deepEqual(await put(store, a), { isNew: true });
      assert.deepEqual(evictions, []);
    }));

  test(`${name}: concurrent puts of the same bytes store them once`, () =>
    withStore({ maxTotalBytes: 1 << 20 }, async (store) => {
      const data = bytes('same payload');
      const results = await Promise.all([1, 2, 3, 4].map(() => put(store, data)));
      assert.equal(results.filter((r) => r.isNew).length, 1);
    }));

  test(`${name}: many puts at once never pass the cap and keep the totals exact`, () =>
    withStore({ maxTotalBytes: 100 }, async (store, clock, evictions) => {
      const old = Array.from({ length: 6 }, (_, i) => sample(`old${i}`, 10));
      for (const s of old) await put(store, s);
      clock.t += 60 * MIN;
      const fresh = Array.from({ length: 30 }, (_, i) => sample(`new${i}`, 3 + (i % 10)));
      const seenAgain = old.slice(0, 2);
      const inputs = [...seenAgain, ...fresh, ...fresh.slice(0, 5)];
      const results = await Promise.allSettled(inputs.map((s) => put(store, s)));
      for (const r of results) if (r.status === 'rejected') assert.ok(isRefusal('full')(r.reason), String(r.reason));
      const stats = await store.stats();
      const list = await store.list();
      assert.ok(stats.bytes <= 100, `${stats.bytes} bytes stored under a cap of 100`);
      assert.equal(stats.bytes, list.reduce((sum, e) => sum + e.size, 0));
      assert.equal(stats.count, list.length);
      const stored = new Set(list.map((e) => e.sha256));
      const oldIds = new Set(old.map(sha));
      for (const [id, , reason] of evictions) assert.ok(oldIds.has(id) && reason === 'size-cap' && !stored.has(id), 'only old samples are evicted');
      for (const s of seenAgain) assert.ok(stored.has(sha(s)), 'a sample seen again is young and stays');
      const accepted = new Set(inputs.filter((_, i) => results[i]?.status === 'fulfilled').map(sha));
      for (const s of fresh) assert.equal(stored.has(sha(s)), accepted.has(sha(s)));
      for (const e of list) assert.equal((await store.get(e.sha256))?.length, e.size);
      assert.ok(evictions.length > 0 && stats.refused > 0, 'the burst both evicted and was refused');
    }));

  test(`${name}: any sequence of puts, re-puts, time and sweeps keeps the store under its cap and its totals true`, () =>
    fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.record({ put: fc.nat(7), size: fc.integer({ min: 0, max: 40 }) }), fc.record({ advanceMin: fc.nat(3 * 24 * 60) }), fc.constant('sweep' as const)), { maxLength: 25 }),
        (ops) =>
          withStore({ maxTotalBytes: 64, retentionDays: 1 }, async (store, clock, evictions) => {
            for (const op of ops) {
              if (op === 'sweep') await store.sweep();
              else if ('advanceMin' in op) clock.t += op.advanceMin * MIN;
              else await put(store, sample(`s${op.put}-${op.size}`, op.size)).catch((e: unknown) => assert.ok(e instanceof ArtifactStoreFullError));
              const list = await store.list();
              const stats = await store.stats();
              assert.ok(stats.bytes <= 64);
              assert.equal(stats.bytes, list.reduce((sum, e) => sum + e.size, 0));
              assert.equal(stats.evicted + stats.expired, evictions.length);
              for (const e of list) assert.equal(await store.has(e.sha256), true);
            }
          }),
      ),
      { numRuns: 25 },
    ));
}
