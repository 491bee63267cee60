// The append thread: writes land in order, failures reject with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppendThread } from './append-thread.ts';

test('appends land in order and a bad path rejects', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'append-'));
  const appender = createAppendThread();
  await Promise.all([appender.append(join(dir, 'a.cast'), 'one\n'), appender.append(join(dir, 'a.cast'), 'two\n')]);
  assert.equal(await readFile(join(dir, 'a.cast'), 'utf8'), 'one\ntwo\n');
  await assert.rejects(appender.append(join(dir, 'missing', 'b.cast'), 'x'), /ENOENT/);
});

test('byte chunks are written in order; owned buffers are moved, shared views copied', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'append-'));
  const appender = createAppendThread();
  const owned = Uint8Array.of(1, 2, 3);
  const shared = new Uint8Array(8).fill(9);
  const view = shared.subarray(2, 4);
  await appender.append(join(dir, 'c.pcapng'), [owned, view, new Uint8Array(0)]);
  await appender.append(join(dir, 'c.pcapng'), Uint8Array.of(7));
  assert.deepEqual([...(await readFile(join(dir, 'c.pcapng')))], [1, 2, 3, 9, 9, 7]);
  assert.equal(owned.byteLength, 0, 'moved to the thread');
  assert.equal(shared.byteLength, 8, 'a view is copied, its buffer stays');
});
