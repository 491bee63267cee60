// Recording store: paths, size cap and unsafe session ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsRecordingStore } from './recording-fs-store.ts';
import { createMemoryLogger } from '../testing/memory-sink.ts';

const day = Date.UTC(2024, 2, 3, 4, 5);

test('writes asciicast lines under recordings/<day>/<session>.cast and reports the relative path', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'rec-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = createFsRecordingStore({ dataDir: dir, maxBytesPerRecording: 1 << 20, now: () => day, logger: createMemoryLogger() });
  const w = store.open('01HV0000000000000000000000');
  w.append('{"version":2,"width":80,"height":24}');
  w.append('[0.1,"o","login: "]');
  const result = await w.close();
  assert.deepEqual(result, { path: 'recordings/2024-03-03/01HV0000000000000000000000.cast', bytes: 57 });
  assert.equal(await readFile(join(dir, result.path), 'utf8'), '{"version":2,"width":80,"height":24}\n[0.1,"o","login: "]\n');
  assert.equal(await store.locate('01HV0000000000000000000000'), join(dir, result.path));
  assert.equal(await store.locate('missing'), null);
  assert.deepEqual(await w.close(), result, 'close twice is safe');
});

test('stops at the size cap (whole lines only) and says so once', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'rec-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const logger = createMemoryLogger();
  const store = createFsRecordingStore({ dataDir: dir, maxBytesPerRecording: 30, now: () => day, logger });
  const w = store.open('s1');
  for (let i = 0; i < 10; i++) w.append(`[${i},"o","xx"]`);
  const { bytes, path } = await w.close();
  assert.equal(bytes, 26);
  assert.equal((await readFile(join(dir, path), 'utf8')).split('\n').length, 3);
  assert.equal(logger.lines.filter((l) => l.message.includes('size cap')).length, 1);
});

test('discard keeps nothing: no file for a buffered recording, and a file already begun is removed', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'rec-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = createFsRecordingStore({ dataDir: dir, maxBytesPerRecording: 1 << 20, now: () => day, logger: createMemoryLogger() });
  const short = store.open('short');
  short.append('[0.1,"o","login: "]');
  await short.discard();
  const long = store.open('long');
  for (let i = 0; i < 2000; i++) long.append(`[${i},"o","${'x'.repeat(40)}"]`); // beyond the memory buffer: written
  await long.discard();
  long.append('[9,"o","late"]');
  assert.deepEqual(await readdir(join(dir, 'recordings', '2024-03-03')), []);
});

test('session ids that could be paths are refused', () => {
  const store = createFsRecordingStore({ dataDir: '/nonexistent', maxBytesPerRecording: 100, now: () => day, logger: createMemoryLogger() });
  for (const bad of ['../x', 'a/b', '', '.', 'x'.repeat(65), 'a\0b']) assert.throws(() => store.open(bad), /unsafe session id/);
});
