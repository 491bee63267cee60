// The session emitter builds full envelopes with the session's fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEMA_VERSION } from '../core/events.ts';
import type { HachiEvent } from '../core/events.ts';
import { createIdGenerator } from '../core/ids.ts';
import { createSessionEmitter } from './session-emitter.ts';

test('events carry id, time, schema, sensor, session fields and the payload', () => {
  const published: HachiEvent[] = [];
  let now = 1_700_000_000_000;
  const ids = createIdGenerator({ now: () => now, randomBytes: (n) => new Uint8Array(n) });
  const emitter = createSessionEmitter({
    port: { publish: (e) => published.push(e) },
    ids,
    clock: { now: () => now },
    sensor: 'sensor-1',
    fields: { protocol: 'telnet', mode: 'emulated', persona: 'cam', src: { ip: '10.0.0.9', port: 40000 }, dst: { ip: '127.0.0.1', port: 2323 } },
  });
  assert.equal(emitter.sessionId.length, 26);
  emitter.emit('session.connect', {});
  now += 5;
  emitter.emit('auth.attempt', { method: 'password', username: 'root', password: 'x', success: false, attempt: 1 });
  assert.equal(published.length, 2);
  const [connect, auth] = published;
  assert.deepEqual({ ...auth, id: undefined }, {
    id: undefined,
    type: 'auth.attempt',
    ts: 1_700_000_000_005,
    schema: SCHEMA_VERSION,
    sensor: 'sensor-1',
    data: { method: 'password', username: 'root', password: 'x', success: false, attempt: 1 },
    session: emitter.sessionId,
    protocol: 'telnet',
    mode: 'emulated',
    persona: 'cam',
    src: { ip: '10.0.0.9', port: 40000 },
    dst: { ip: '127.0.0.1', port: 2323 },
  });
  assert.ok(connect!.id < auth!.id && connect!.id !== emitter.sessionId);
});

test('a given session id is kept', () => {
  const emitter = createSessionEmitter({
    port: { publish: () => undefined },
    ids: () => 'X',
    clock: { now: () => 0 },
    sensor: 's',
    fields: { session: '01ABC', protocol: 'telnet', mode: 'emulated', persona: 'p', src: { ip: '', port: 0 }, dst: { ip: '', port: 0 } },
  });
  assert.equal(emitter.sessionId, '01ABC');
});
