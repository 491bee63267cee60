// On-disk spool: append, take, acknowledge, torn lines and the byte cap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileSpool } from './file-spool.ts';
import { createEventFactory } from '../testing/telnet-events.ts';

const events = (n: number) => {
  const f = createEventFactory();
  return Array.from({ length: n }, (_, i) => f.event('command.input', { line: `cmd ${i}` }));
};

test('append, take, ack keep order and empty the file when drained', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'spool-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const spool = createFileSpool(join(dir, 's.jsonl'), 1 << 20);
  await spool.open();
  const all = events(10);
  await spool.append(all.slice(0, 6));
  await spool.append(all.slice(6));
  assert.equal(spool.count, 10);
  const a = await spool.take(4);
  assert.deepEqual(a.events.map((e) => e.id), all.slice(0, 4).map((e) => e.id));
  await spool.ack();
  const b = await spool.take(100);
  assert.deepEqual(b.events.map((e) => e.id), all.slice(4).map((e) => e.id));
  await spool.ack();
  assert.equal(spool.count, 0);
  assert.equal((await stat(join(dir, 's.jsonl'))).size, 0);
  await spool.close();
});

test('a reopened spool replays only unacknowledged events and cuts a torn last line', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'spool-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 's.jsonl');
  const all = events(5);
  const first = createFileSpool(path, 1 << 20);
  await first.open();
  await first.append(all);
  await first.take(2);
  await first.ack();
  await first.take(1); // taken but never acknowledged: must come back
  await first.close();
  await appendFile(path, '{"id":"torn');
  const second = createFileSpool(path, 1 << 20);
  assert.deepEqual(await second.open(), { recovered: 3, dropped: 0 });
  const { events: back, corrupt } = await second.take(10);
  assert.equal(corrupt, 0);
  assert.deepEqual(back.map((e) => e.id), all.slice(2).map((e) => e.id));
  await second.close();
});

test('past the byte cap the oldest events are dropped and counted', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'spool-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const all = events(100);
  const lineBytes = Buffer.byteLength(`${JSON.stringify(all[0])}\n`);
  const spool = createFileSpool(join(dir, 's.jsonl'), lineBytes * 10 + 5);
  await spool.open();
  let dropped = 0;
  for (let i = 0; i < 100; i += 10) dropped += await spool.append(all.slice(i, i + 10));
  assert.ok(dropped >= 89 && spool.count + dropped === 100, `dropped ${dropped}, kept ${spool.count}`);
  const n = spool.count;
  const kept = await spool.take(100);
  assert.deepEqual(kept.events.map((e) => e.id), all.slice(100 - n).map((e) => e.id));
  await spool.ack();
  await spool.close();
});
