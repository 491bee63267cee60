// The relayed-HTTP tap: observations become http.request / http.response events with the tap's
// clock, and the inspection seam sees every request once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpRequestObservation } from '../relay/http-observer.ts';
import { RecordingEmitter } from '../testing/recording-emitter.ts';
import { createRelayHttpTap } from './relay-http-tap.ts';

test('requests and responses become events; durations come from the clock; inspect sees each request', async () => {
  const events = new RecordingEmitter();
  let now = 1000;
  const inspected: HttpRequestObservation[] = [];
  const tap = createRelayHttpTap(events, { limits: { maxHeaderBytes: 1024, maxBodyBytes: 64 }, clock: { now: () => now }, inspect: (r) => inspected.push(r) });
  tap.client(Buffer.from('POST /cgi-bin/ping.cgi?x=1 HTTP/1.1\r\nHost: cam\r\nContent-Length: 10\r\n\r\nip=;reboot'));
  now = 1025;
  tap.server(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
  tap.client(Buffer.from('GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n'));
  tap.end();
  await tap.done();
  assert.deepEqual(events.events.map((e) => e.type), ['http.request', 'http.response', 'http.request']);
  assert.deepEqual(events.ofType('http.request')[0], {
    seq: 1, method: 'POST', path: '/cgi-bin/ping.cgi', query: 'x=1', version: 'HTTP/1.1', headers: [['Host', 'cam'], ['Content-Length', '10']],
    body: 'ip=;reboot', bodyBytes: 10, truncated: false, raw: null, error: null,
  });
  assert.deepEqual(events.ofType('http.response')[0], { seq: 1, status: 200, reason: 'OK', version: 'HTTP/1.1', headers: [['Content-Length', '2']], body: 'ok', bodyBytes: 2, truncated: false, durationMs: 25 });
  const malformed = events.ofType('http.request')[1];
  assert.ok(malformed && malformed.seq === 2 && malformed.raw === 'GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n' && /obs-fold/.test(malformed.error ?? ''));
  assert.deepEqual(inspected.map((r) => r.seq), [1, 2]);
});
