// The shared contract every ArtifactStore passes: round trip, dedupe, checked ids (no path tricks),
// empty content, size cap refusal, concurrent puts of the same bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { ArtifactStore } from '../core/ports.ts';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

/** `make(maxTotalBytes)` returns a fresh, empty store and a cleanup function. */
export function runArtifactStoreContract(name: string, make: (maxTotalBytes: number) => Promise<{ store: ArtifactStore; dispose: () => Promise<void> }>): void {
  const withStore = async (max: number, body: (store: ArtifactStore) => Promise<void>): Promise<void> => {
    const { store, dispose } = await make(max);
    try {
      await body(store);
    } finally {
      await dispose();
    }
  };

  test(`${name}: put then get returns the same bytes; a second put is not new`, () =>
    withStore(1 << 20, async (store) => {
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
    withStore(1 << 20, async (store) => {
      const empty = new Uint8Array(0);
      assert.deepEqual(await store.put(sha(empty), empty), { isNew: true });
      assert.deepEqual(await store.get(sha(empty)), empty);
    }));

  test(`${name}: ids that are not 64 lowercase hex never reach a path`, () =>
    withStore(1 << 20, async (store) => {
      for (const bad of ['../../etc/passwd', `${'a'.repeat(62)}/x`, 'A'.repeat(64), '', `${'0'.repeat(64)}\0`, '..']) {
        assert.equal(await store.get(bad), null);
        assert.equal(await store.has(bad), false);
        await assert.rejects(store.put(bad, bytes('x')), TypeError);
      }
    }));

  test(`${name}: bytes that do not match their id are refused`, () =>
    withStore(1 << 20, async (store) => {
      await assert.rejects(store.put(sha(bytes('a')), bytes('b')), /mismatch/);
    }));

  test(`${name}: past the size cap new bytes are refused, known bytes still dedupe`, () =>
    withStore(10, async (store) => {
      const a = bytes('12345678');
      await store.put(sha(a), a);
      await assert.rejects(store.put(sha(bytes('abc')), bytes('abc')), /full/);
      assert.deepEqual(await store.put(sha(a), a), { isNew: false });
      const small = bytes('xy');
      assert.deepEqual(await store.put(sha(small), small), { isNew: true });
    }));

  test(`${name}: concurrent puts of the same bytes store them once`, () =>
    withStore(1 << 20, async (store) => {
      const data = bytes('same payload');
      const results = await Promise.all([1, 2, 3, 4].map(() => store.put(sha(data), data)));
      assert.equal(results.filter((r) => r.isNew).length, 1);
    }));
}
