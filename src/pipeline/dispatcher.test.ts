// Dispatcher: batching, isolation of failing and slow sinks, spool, drops that are reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher } from './dispatcher.ts';
import { createMemoryLogger, createMemorySink, waitUntil } from '../testing/memory-sink.ts';
import { createEventFactory } from '../testing/telnet-events.ts';
import type { HachiEvent } from '../core/events.ts';

const makeEvents = (n: number): HachiEvent[] => {
  const f = createEventFactory();
  const s = f.session(1);
  return Array.from({ length: n }, (_, i) => f.event('command.input', { line: `echo ${i}` }, s));
};
const ids = (events: readonly HachiEvent[]) => events.map((e) => e.id);
const fast = { retryInitialMs: 5, retryMaxMs: 20, batchDelayMs: 5 } as const;

test('batches by size, keeps order, and flush resolves once written', async () => {
  const sink = createMemorySink('a');
  const d = createDispatcher({ sinks: [sink], logger: createMemoryLogger(), batchSize: 1000, batchDelayMs: 1000 });
  const all = makeEvents(2500);
  for (const e of all) d.publish(e);
  assert.equal(await d.flush(), true);
  assert.deepEqual(sink.batches.map((b) => b.length), [1000, 1000, 500]);
  assert.deepEqual(ids(sink.events()), ids(all));
  assert.deepEqual(d.stats()['a'], { written: 2500, queued: 0, spooled: 0, dropped: 0, failures: 0, healthy: true, lastError: null });
  await d.close();
  assert.equal(sink.closed, 1);
});

test('a partial batch is written after the batch delay without a flush', async () => {
  const sink = createMemorySink('a');
  const d = createDispatcher({ sinks: [sink], logger: createMemoryLogger(), batchDelayMs: 10 });
  d.publish(makeEvents(1)[0]!);
  await waitUntil(() => sink.events().length === 1, 2000, 'time-based batch');
  await d.close();
});

test('a failing sink is isolated, retried with backoff, and catches up in order', async () => {
  const bad = createMemorySink('bad');
  const good = createMemorySink('good');
  const logger = createMemoryLogger();
  bad.failing = true;
  const d = createDispatcher({ sinks: [bad, good], logger, ...fast });
  const all = makeEvents(300);
  for (const e of all) d.publish(e);
  await waitUntil(() => good.events().length === 300, 2000, 'good sink');
  await waitUntil(() => (d.stats()['bad']?.failures ?? 0) >= 2, 2000, 'retries');
  assert.equal(d.stats()['bad']?.healthy, false);
  assert.ok(logger.lines.some((l) => l.level === 'warn' && l.message.includes('write failed')));
  bad.failing = false;
  assert.equal(await d.flush({ timeoutMs: 2000 }), true);
  assert.deepEqual(ids(bad.events()), ids(all));
  assert.ok(logger.lines.some((l) => l.message.includes('recovered')));
  await d.close();
});

test('a slow sink does not hold back the others', async () => {
  const slow = createMemorySink('slow');
  const quick = createMemorySink('quick');
  let release = (): void => {};
  slow.gate = new Promise((resolve) => {
    release = resolve;
  });
  const d = createDispatcher({ sinks: [slow, quick], logger: createMemoryLogger(), batchDelayMs: 1 });
  for (const e of makeEvents(50)) d.publish(e);
  await waitUntil(() => quick.events().length === 50, 2000, 'quick sink');
  assert.equal(slow.events().length, 0);
  slow.gate = null;
  release();
  await d.close();
  assert.equal(slow.events().length, 50);
});

test('without a spool file a full queue drops the oldest and says so', async () => {
  const sink = createMemorySink('a');
  const logger = createMemoryLogger();
  sink.failing = true;
  const d = createDispatcher({ sinks: [sink], logger, maxQueued: 100, batchSize: 10, ...fast });
  const all = makeEvents(250);
  for (const e of all) d.publish(e);
  const stats = d.stats()['a']!;
  assert.ok(stats.dropped >= 140, `dropped ${stats.dropped}`);
  assert.ok(logger.lines.some((l) => l.level === 'warn' && l.message.includes('dropped the oldest')));
  sink.failing = false;
  assert.equal(await d.flush({ timeoutMs: 2000 }), true);
  const got = ids(sink.events());
  assert.equal(got.length + d.stats()['a']!.dropped, 250);
  assert.deepEqual(got.slice(-100), ids(all.slice(-100)), 'the newest are kept');
  await d.close();
});

test('a sink that is down buffers on disk, nothing is dropped, and it catches up in order', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'dispatch-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const sink = createMemorySink('db');
  sink.failing = true;
  const logger = createMemoryLogger();
  const d = createDispatcher({ sinks: [sink], logger, maxQueued: 100, batchSize: 16, spool: { dir, maxBytesPerSink: 1 << 20 }, ...fast });
  const all = makeEvents(1000);
  for (let i = 0; i < all.length; i++) {
    d.publish(all[i]!);
    // Publishers yield now and then, as sessions do; the spill to disk runs in between.
    if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await waitUntil(() => (d.stats()['db']?.spooled ?? 0) > 0, 2000, 'spooling');
  sink.failing = false;
  assert.equal(await d.flush({ timeoutMs: 5000 }), true);
  assert.equal(d.stats()['db']?.dropped, 0, JSON.stringify(logger.lines));
  assert.deepEqual(ids(sink.events()), ids(all));
  await d.close();
});

test('events a dead sink could not take at close are replayed from the spool by the next run', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'dispatch-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const down = createMemorySink('db');
  down.failing = true;
  const first = createDispatcher({ sinks: [down], logger: createMemoryLogger(), spool: { dir, maxBytesPerSink: 1 << 20 }, ...fast });
  const all = makeEvents(40);
  for (const e of all) first.publish(e);
  await first.close({ timeoutMs: 50 });
  assert.equal(down.events().length, 0);
  const up = createMemorySink('db');
  const second = createDispatcher({ sinks: [up], logger: createMemoryLogger(), spool: { dir, maxBytesPerSink: 1 << 20 }, ...fast });
  await waitUntil(() => up.events().length === 40, 2000, 'replay');
  assert.deepEqual(ids(up.events()), ids(all));
  await second.close();
});

test('publish never throws: broken subscribers and publishing after close are reported, not thrown', async () => {
  const sink = createMemorySink('a');
  const logger = createMemoryLogger();
  const d = createDispatcher({ sinks: [sink], logger });
  const seen: string[] = [];
  const off = d.subscribe((e) => seen.push(e.id));
  d.subscribe(() => {
    throw new Error('boom');
  });
  const [a, b, c] = makeEvents(3);
  d.publish(a!);
  off();
  d.publish(b!);
  assert.deepEqual(seen, [a!.id]);
  assert.ok(logger.lines.some((l) => l.message.includes('subscriber threw')));
  await d.close();
  await d.close();
  d.publish(c!);
  assert.equal(sink.closed, 1);
  assert.deepEqual(ids(sink.events()), [a!.id, b!.id]);
  assert.ok(logger.lines.some((l) => l.message.includes('after the dispatcher closed')));
});

test('sink names must be unique plain tokens (they name spool files)', () => {
  assert.throws(() => createDispatcher({ sinks: [createMemorySink('../x')], logger: createMemoryLogger() }), /invalid sink name/);
  assert.throws(() => createDispatcher({ sinks: [createMemorySink('a'), createMemorySink('a')], logger: createMemoryLogger() }), /duplicate/);
});
