// Artifact stores (disk and memory): the shared contract, layout and caps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsArtifactStore } from './artifact-fs-store.ts';
import { createMemoryArtifactStore } from './artifact-memory-store.ts';
import { runArtifactStoreContract } from '../testing/artifact-store-contract.ts';

runArtifactStoreContract('memory artifact store', async (max) => ({ store: createMemoryArtifactStore({ maxTotalBytes: max }), dispose: async () => {} }));

runArtifactStoreContract('disk artifact store', async (max) => {
  const dir = await mkdtemp(join(tmpdir(), 'artifacts-'));
  return { store: createFsArtifactStore({ dataDir: dir, maxTotalBytes: max }), dispose: () => rm(dir, { recursive: true, force: true }) };
});

test('disk layout is artifacts/ab/cd/<sha256>, no temp files left, and usage is recounted on reopen', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'artifacts-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const data = new TextEncoder().encode('payload');
  const id = createHash('sha256').update(data).digest('hex');
  const store = createFsArtifactStore({ dataDir: dir, maxTotalBytes: 10 });
  await store.put(id, data);
  assert.deepEqual(await readFile(join(dir, 'artifacts', id.slice(0, 2), id.slice(2, 4), id)), Buffer.from(data));
  assert.deepEqual(await readdir(join(dir, 'artifacts', 'tmp')), []);
  const reopened = createFsArtifactStore({ dataDir: dir, maxTotalBytes: 10 });
  assert.deepEqual(await reopened.stats(), { count: 1, bytes: 7, refused: 0 });
  const more = new TextEncoder().encode('more');
  await assert.rejects(reopened.put(createHash('sha256').update(more).digest('hex'), more), /full/);
  assert.equal((await reopened.stats()).refused, 1);
});
