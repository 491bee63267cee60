// JSON-lines sink: the sink contract, rotation, total cap and fsync.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJsonlSink, readJsonlEvents } from './jsonl.ts';
import { runSinkContract } from '../testing/sink-contract.ts';
import { createEventFactory } from '../testing/telnet-events.ts';

runSinkContract('jsonl', async (dir) => ({
  sink: await openJsonlSink({}, { dataDir: dir, now: () => Date.UTC(2024, 4, 1, 12) }),
  readBack: () => readJsonlEvents(dir),
}));

const DAY = 86_400_000;

test('files are daily (UTC, by write time) and rotate to .1, .2 past the size cap', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'jsonl-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  let now = Date.UTC(2024, 4, 1, 23, 59);
  const f = createEventFactory();
  const events = Array.from({ length: 30 }, (_, i) => f.event('command.input', { line: `x${i}` }));
  const line = Buffer.byteLength(`${JSON.stringify(events[0])}\n`);
  const sink = await openJsonlSink({ maxFileBytes: line * 10 + 2 }, { dataDir: dir, now: () => now });
  await sink.write(events.slice(0, 25));
  now += DAY;
  await sink.write(events.slice(25));
  await sink.close();
  assert.deepEqual((await readdir(join(dir, 'events'))).sort(), [
    'events-2024-05-01.jsonl',
    'events-2024-05-01.jsonl.1',
    'events-2024-05-01.jsonl.2',
    'events-2024-05-02.jsonl',
  ]);
  assert.deepEqual((await readJsonlEvents(dir)).map((e) => e.id), events.map((e) => e.id), 'oldest-first read keeps order');
});

test('past the total cap the oldest files are deleted, never the one being written', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'jsonl-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const eventsDir = join(dir, 'events');
  const sink0 = await openJsonlSink({}, { dataDir: dir, now: () => 0 });
  await sink0.close();
  await writeFile(join(eventsDir, 'events-2020-01-01.jsonl'), 'x'.repeat(4000));
  await writeFile(join(eventsDir, 'events-2020-01-02.jsonl'), 'x'.repeat(4000));
  await writeFile(join(eventsDir, 'unrelated.txt'), 'kept');
  const f = createEventFactory();
  const sink = await openJsonlSink({ maxTotalBytes: 6000 }, { dataDir: dir, now: () => Date.UTC(2024, 0, 1) });
  await sink.write([f.event('command.input', { line: 'id' })]);
  await sink.close();
  assert.deepEqual((await readdir(eventsDir)).sort(), ['events-2020-01-02.jsonl', 'events-2024-01-01.jsonl', 'unrelated.txt']);
});

test('fsync option writes the same lines', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'jsonl-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const f = createEventFactory();
  const events = f.botSession(7);
  const sink = await openJsonlSink({ fsync: true }, { dataDir: dir, now: () => 0 });
  await sink.write(events);
  await sink.close();
  assert.deepEqual(await readJsonlEvents(dir), events);
});
