// Disk artifact store beyond the shared contract: layout, file mtime as last seen (kept across
// restarts), the rebuild after a crash, files removed behind its back, and the free-space reserve.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsArtifactStore, DEFAULT_MIN_FREE_BYTES, type FsArtifactStoreOptions } from './artifact-fs-store.ts';
import { ArtifactStoreFullError, DAY_MS } from './artifact-store-api.ts';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const sample = (tag: string, n: number): Uint8Array => new TextEncoder().encode(tag.padEnd(n, '.').slice(0, n));
const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'artifacts-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
const pathIn = (dir: string, id: string): string => join(dir, 'artifacts', id.slice(0, 2), id.slice(2, 4), id);
const open = (dir: string, clock: { t: number }, more: Partial<FsArtifactStoreOptions> = {}) =>
  createFsArtifactStore({ dataDir: dir, maxTotalBytes: 1 << 20, minFreeBytes: 1024, now: () => clock.t, ...more });
const freeSpace = (free: number) => async () => ({ bavail: free, bsize: 1 });

test('disk layout is artifacts/ab/cd/<sha256>, no temp files left, and usage is recounted on reopen', async (t) => {
  const dir = await tempDir(t);
  const clock = { t: T0 };
  const data = sample('payload', 7);
  await open(dir, clock, { maxTotalBytes: 10 }).put(sha(data), data);
  assert.deepEqual(await readFile(pathIn(dir, sha(data))), Buffer.from(data));
  assert.deepEqual(await readdir(join(dir, 'artifacts', 'tmp')), []);
  const reopened = open(dir, clock, { maxTotalBytes: 10 });
  assert.deepEqual(await reopened.stats(), { count: 1, bytes: 7, maxBytes: 10, refused: 0, evicted: 0, expired: 0 });
  await assert.rejects(reopened.put(sha(sample('more', 4)), sample('more', 4)), /full/);
});

test('the file mtime is the last-seen time: storing again touches it without rewriting, and it survives a restart', async (t) => {
  const dir = await tempDir(t);
  const clock = { t: T0 };
  const a = sample('a', 10);
  const b = sample('b', 10);
  const store = open(dir, clock, { maxTotalBytes: 20 });
  await store.put(sha(a), a);
  const first = await stat(pathIn(dir, sha(a)));
  assert.equal(Math.round(first.mtimeMs), T0);
  clock.t += MIN;
  await store.put(sha(b), b);
  clock.t += MIN;
  assert.deepEqual(await store.put(sha(a), a), { isNew: false });
  const touched = await stat(pathIn(dir, sha(a)));
  assert.equal(Math.round(touched.mtimeMs), T0 + 2 * MIN);
  assert.equal(touched.ino, first.ino, 'the same file, not a rewrite');
  // After a restart b is the least recently seen, so it is the one evicted.
  clock.t += 60 * MIN;
  const evicted: string[] = [];
  const reopened = open(dir, clock, { maxTotalBytes: 20, onEvict: (id) => evicted.push(id) });
  const c = sample('c', 10);
  await reopened.put(sha(c), c);
  assert.deepEqual(evicted, [sha(b)]);
  await assert.rejects(stat(pathIn(dir, sha(b))), { code: 'ENOENT' });
});

test('retention is measured from the mtime on disk, across restarts', async (t) => {
  const dir = await tempDir(t);
  const clock = { t: T0 };
  const a = sample('a', 3);
  await open(dir, clock).put(sha(a), a);
  clock.t = T0 + 3 * DAY_MS;
  const reasons: string[] = [];
  const later = open(dir, clock, { retentionDays: 2, onEvict: (_id, _size, reason) => reasons.push(reason) });
  assert.deepEqual(await later.sweep(), { removed: 1, bytes: 3 });
  assert.deepEqual(reasons, ['retention']);
  await assert.rejects(stat(pathIn(dir, sha(a))), { code: 'ENOENT' });
  assert.deepEqual(await open(dir, clock).stats(), { count: 0, bytes: 0, maxBytes: 1 << 20, refused: 0, evicted: 0, expired: 0 });
});

test('after a crash the totals come from a scan: unlinked files, stale temp files and strays are not counted', async (t) => {
  const dir = await tempDir(t);
  const clock = { t: T0 };
  const [a, b] = [sample('a', 5), sample('b', 6)];
  const store = open(dir, clock);
  await store.put(sha(a), a);
  await store.put(sha(b), b);
  await unlink(pathIn(dir, sha(a))); // the crash came between unlink and bookkeeping
  const tmp = join(dir, 'artifacts', 'tmp');
  const stale = join(tmp, `${sha(a)}.0123456789ab`);
  const running = join(tmp, `${sha(b)}.ba9876543210`);
  await writeFile(stale, 'half a sample');
  await utimes(stale, new Date(Date.now() - 2 * 60 * MIN), new Date(Date.now() - 2 * 60 * MIN));
  await writeFile(running, 'being written');
  const misplaced = sample('misplaced', 9);
  await mkdir(join(dir, 'artifacts', '00', '00'), { recursive: true });
  await writeFile(join(dir, 'artifacts', '00', '00', sha(misplaced)), misplaced);
  await writeFile(join(dir, 'artifacts', 'notes.txt'), 'not a sample');
  const reopened = createFsArtifactStore({ dataDir: dir, maxTotalBytes: 1 << 20, minFreeBytes: 1024 });
  assert.deepEqual(await reopened.list(), [{ sha256: sha(b), size: 6, lastSeen: (await stat(pathIn(dir, sha(b)))).mtimeMs }]);
  assert.deepEqual((await readdir(tmp)).sort(), [`${sha(b)}.ba9876543210`]);
  assert.equal(await reopened.get(sha(a)), null);
});

test('a file deleted behind a running store is written again by the next put of its bytes', async (t) => {
  const dir = await tempDir(t);
  const clock = { t: T0 };
  const a = sample('a', 5);
  const store = open(dir, clock);
  await store.put(sha(a), a);
  await unlink(pathIn(dir, sha(a)));
  assert.deepEqual(await store.put(sha(a), a), { isNew: true });
  assert.deepEqual(await store.get(sha(a)), a);
  assert.deepEqual(await store.stats(), { count: 1, bytes: 5, maxBytes: 1 << 20, refused: 0, evicted: 0, expired: 0 });
});

test('puts racing removals and sweeps of the same sample leave disk and totals in agreement', async (t) => {
  const dir = await tempDir(t);
  const clock = { t: T0 };
  const a = sample('a', 8);
  const store = open(dir, clock, { retentionDays: 1 });
  for (let round = 0; round < 20; round += 1) {
    clock.t += 2 * DAY_MS;
    const removal = round % 2 ? store.remove(sha(a)) : store.sweep();
    await Promise.all(round % 4 < 2 ? [removal, store.put(sha(a), a)] : [store.put(sha(a), a), removal, store.put(sha(a), a)]);
    const listed = (await store.list()).some((e) => e.sha256 === sha(a));
    assert.equal(await store.has(sha(a)), listed, `round ${round}`);
  }
  const reopened = open(dir, clock);
  assert.deepEqual((await reopened.stats()).bytes, (await store.stats()).bytes);
});

test('never fills the disk: puts are refused below the free-space reserve (1 GiB by default)', async (t) => {
  const dir = await tempDir(t);
  const clock = { t: T0 };
  const a = sample('a', 10);
  const low = open(dir, clock, { minFreeBytes: undefined, statfs: freeSpace(DEFAULT_MIN_FREE_BYTES + 5) });
  await assert.rejects(low.put(sha(a), a), (e: unknown) => e instanceof ArtifactStoreFullError && e.reason === 'disk');
  assert.equal(await low.has(sha(a)), false);
  assert.deepEqual(await readdir(join(dir, 'artifacts', 'tmp')), []);
  assert.equal((await low.stats()).refused, 1);
  const roomy = open(dir, clock, { minFreeBytes: undefined, statfs: freeSpace(DEFAULT_MIN_FREE_BYTES + 10) });
  assert.deepEqual(await roomy.put(sha(a), a), { isNew: true });
  // Bytes still being written count against the free space: of two concurrent puts only one fits.
  const tight = open(dir, clock, { minFreeBytes: 100, statfs: freeSpace(115) });
  const results = await Promise.allSettled([sample('b', 10), sample('c', 10)].map((s) => tight.put(sha(s), s)));
  assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
});

test('a burst of puts with eviction on disk matches a fresh scan afterwards', async (t) => {
  const dir = await tempDir(t);
  const clock = { t: T0 };
  const store = open(dir, clock, { maxTotalBytes: 200 });
  for (let i = 0; i < 10; i += 1) await store.put(sha(sample(`old${i}`, 15)), sample(`old${i}`, 15));
  clock.t += 60 * MIN;
  const fresh = Array.from({ length: 40 }, (_, i) => sample(`new${i}`, 4 + (i % 13)));
  await Promise.allSettled(fresh.map((s) => store.put(sha(s), s)));
  const stats = await store.stats();
  assert.ok(stats.bytes <= 200);
  const rescanned = open(dir, clock, { maxTotalBytes: 200 });
  assert.deepEqual({ count: (await rescanned.stats()).count, bytes: (await rescanned.stats()).bytes }, { count: stats.count, bytes: stats.bytes });
  assert.deepEqual((await rescanned.list()).map((e) => e.sha256).sort(), (await store.list()).map((e) => e.sha256).sort());
});
