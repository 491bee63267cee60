// Artifact stores: the shared contract for memory and disk; disk layout, mtime as last seen, startup
// rebuild after crashes, and the free-space reserve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsArtifactStore } from './artifact-fs-store.ts';
import { createMemoryArtifactStore } from './artifact-memory-store.ts';
import { runArtifactStoreContract } from '../testing/artifact-store-contract.ts';

runArtifactStoreContract('memory artifact store', async (options) => ({ store: createMemoryArtifactStore(options), dispose: async () => {} }));

runArtifactStoreContract('disk artifact store', async (options) => {
  const dir = await mkdtemp(join(tmpdir(), 'artifacts-'));
  // The real statfs, with a reserve any test machine has.
  return { store: createFsArtifactStore({ ...options, dataDir: dir, minFreeBytes: 1024 }), dispose: () => rm(dir, { recursive: true, force: true }) };
});

test('memory store: the default cap options are eviction on, 10 minutes minimum age, no retention', async () => {
  const clock = { t: 0 };
  const store = createMemoryArtifactStore({ maxTotalBytes: 4, now: () => clock.t });
  const data = new TextEncoder().encode('abcd');
  await store.put(createHash('sha256').update(data).digest('hex'), data);
  clock.t = 10 * 60_000 - 1;
  const other = new TextEncoder().encode('efgh');
  await assert.rejects(store.put(createHash('sha256').update(other).digest('hex'), other), /full/);
  clock.t += 1;
  assert.deepEqual(await store.put(createHash('sha256').update(other).digest('hex'), other), { isNew: true });
  assert.deepEqual(await store.sweep(1e15), { removed: 0, bytes: 0 });
});
