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
