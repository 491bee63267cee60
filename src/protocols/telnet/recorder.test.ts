// The asciicast v2 recorder: header placement, held lines, resize events, failing writers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAsciicastRecorder } from './recorder.ts';
import { MemoryRecording } from '../../testing/telnet-harness.ts';

const text = (s: string): Uint8Array => Buffer.from(s, 'utf8');

test('events before start are held and written after the header', async () => {
  let now = 1_700_000_000_500;
  const writer = new MemoryRecording();
  const rec = createAsciicastRecorder(writer, { now: () => now }, { startedAt: now });
  rec.output(text('login: '));
  now += 250;
  rec.input(text('root\r'));
  assert.equal(writer.lines.length, 0);
  rec.resize(132, 43);
  rec.setTerminalType('vt100');
  rec.start();
  now += 1000;
  rec.output(text('caf\xc3'.replace('\xc3', '')));
  rec.output(Uint8Array.of(0xc3));
  rec.output(Uint8Array.of(0xa9)); // é split across two chunks
  rec.resize(100, 30);
  assert.deepEqual(await rec.close(), { path: 'recordings/test.cast', bytes: writer.lines.reduce((n, l) => n + l.length + 1, 0) });
  assert.deepEqual(writer.lines.map((l) => JSON.parse(l) as unknown), [
    { version: 2, width: 132, height: 43, timestamp: 1_700_000_000, env: { SHELL: '/bin/sh', TERM: 'vt100' } },
    [0, 'o', 'login: '],
    [0.25, 'i', 'root\r'],
    [1.25, 'o', 'café'], // output of the same millisecond is one frame
    [1.25, 'r', '100x30'],
  ]);
});

test('the header is written once too much is held, and close without start still writes it', async () => {
  const writer = new MemoryRecording();
  const rec = createAsciicastRecorder(writer, { now: () => 0 }, { startedAt: 0, maxHeldBytes: 100 });
  rec.input(text('x'.repeat(200)));
  assert.equal(writer.lines.length, 2);
  const empty = new MemoryRecording();
  await createAsciicastRecorder(empty, { now: () => 0 }, { startedAt: 0 }).close();
  assert.equal(empty.lines.length, 1);
  assert.equal((JSON.parse(empty.lines[0]!) as { width: number }).width, 80);
});

test('no writer, or a writer that throws, never breaks the session', async () => {
  const none = createAsciicastRecorder(null, { now: () => 0 }, { startedAt: 0 });
  none.output(text('x'));
  assert.equal(await none.close(), null);
  const broken = createAsciicastRecorder(
    { append: () => { throw new Error('disk full'); }, close: () => Promise.reject(new Error('disk full')), discard: () => Promise.reject(new Error('disk full')) },
    { now: () => 0 },
    { startedAt: 0 },
  );
  broken.start();
  broken.output(text('x'));
  assert.equal(await broken.close(), null);
});
