// Capture: hashing, file.write events, store-once, failures never reach the session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createCapture } from './capture.ts';
import { createMemoryArtifactStore } from '../storage/artifact-memory-store.ts';
import { createMemoryLogger } from '../testing/memory-sink.ts';
import { RecordingEmitter } from '../testing/recording-emitter.ts';
import type { ArtifactStore } from '../core/ports.ts';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

test('hashes at once, emits file.write, stores the bytes once', async () => {
  const store = createMemoryArtifactStore({ maxTotalBytes: 1 << 20 });
  const events = new RecordingEmitter();
  const capture = createCapture({ store, events, logger: createMemoryLogger() });
  const data = new TextEncoder().encode('\x7fELF\x01\x01\x01');
  const id = capture.capture('/tmp/.d', data, 'exec');
  assert.equal(id, sha(data));
  assert.deepEqual(events.ofType('file.write'), [{ path: '/tmp/.d', sha256: id, size: 7, reason: 'exec' }]);
  data[0] = 0; // the caller's buffer changing later must not change what is stored
  capture.capture('/tmp/copy', new TextEncoder().encode('\x7fELF\x01\x01\x01'), 'close');
  await capture.idle();
  assert.deepEqual(await store.get(id), new TextEncoder().encode('\x7fELF\x01\x01\x01'));
  assert.equal((await store.stats()).count, 1);
  assert.equal(events.ofType('file.write').length, 2, 'every write is an event, even of known bytes');
});

test('empty files are captured too', async () => {
  const store = createMemoryArtifactStore({ maxTotalBytes: 1 << 20 });
  const events = new RecordingEmitter();
  const capture = createCapture({ store, events, logger: createMemoryLogger() });
  const id = capture.capture('/tmp/empty', new Uint8Array(0), 'close') ?? '';
  await capture.idle();
  assert.equal(await store.has(id), true);
  assert.equal(events.ofType('file.write')[0]?.size, 0);
});

test('a store that fails or is full is logged, never thrown into the session', async () => {
  const logger = createMemoryLogger();
  const events = new RecordingEmitter();
  const broken: ArtifactStore = {
    put: () => Promise.reject(new Error('disk gone')),
    get: async () => null,
    has: async () => false,
  };
  const capture = createCapture({ store: broken, events, logger });
  assert.doesNotThrow(() => capture.capture('/tmp/x', new Uint8Array([1, 2, 3]), 'close'));
  await capture.idle();
  assert.ok(logger.lines.some((l) => l.level === 'warn' && l.fields?.['error'] === 'disk gone'));
  const full = createCapture({ store: createMemoryArtifactStore({ maxTotalBytes: 1 }), events, logger });
  full.capture('/tmp/big', new Uint8Array(10), 'close');
  await full.idle();
  assert.ok(logger.lines.some((l) => String(l.fields?.['error']).includes('full')));
});

test("copies of the persona's own files are neither stored nor reported", async () => {
  const store = createMemoryArtifactStore({ maxTotalBytes: 1 << 20 });
  const events = new RecordingEmitter();
  const busybox = new TextEncoder().encode('\x7fELF busybox of the persona');
  const capture = createCapture({ store, events, logger: createMemoryLogger(), isPersonaFile: (b) => Buffer.from(b).equals(busybox) });
  assert.equal(capture.capture('/tmp/dvrHelper', new Uint8Array(busybox), 'overwrite'), null);
  await capture.idle();
  assert.equal(events.ofType('file.write').length, 0);
  assert.equal((await store.stats()).count, 0);
});

test('the same file with the same bytes is reported once per session; changed bytes are reported again', async () => {
  const store = createMemoryArtifactStore({ maxTotalBytes: 1 << 20 });
  const events = new RecordingEmitter();
  const capture = createCapture({ store, events, logger: createMemoryLogger() });
  capture.capture('/tmp/x', new TextEncoder().encode('one'), 'exec');
  capture.capture('/tmp/x', new TextEncoder().encode('one'), 'session-end');
  capture.capture('/tmp/x', new TextEncoder().encode('two'), 'session-end');
  await capture.idle();
  assert.deepEqual(events.ofType('file.write').map((e) => e.reason), ['exec', 'session-end']);
});
