// The query API over a real store on a loopback port: security headers, errors as JSON, limits,
// the bearer token, and attacker strings that come back as escaped JSON text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEventFactory } from '../testing/telnet-events.ts';
import { storeWithEvents } from '../testing/store-with-events.ts';
import type { HachiEvent } from '../core/events.ts';
import type { Store } from '../storage/store.ts';
import { serveApi as serve } from '../testing/api-client.ts';
import { MAX_TARGET } from './server.ts';

const XSS = `<script>alert("x")</script>' onerror="alert(1)`;

function hostileEvents(): HachiEvent[] {
  const f = createEventFactory();
  const s = f.session(7);
  return [
    f.event('session.connect', {}, s),
    f.event('auth.attempt', { method: 'password', username: XSS, password: XSS, success: true, attempt: 1 }, s),
    f.event('command.input', { line: `echo ${XSS}` }, s),
    f.event('session.close', { reason: 'exit', durationMs: 10, bytesIn: 1, bytesOut: 1 }, s),
  ];
}

test('every response is JSON with strict security headers, errors included', async (t) => {
  const get = await serve(t, await storeWithEvents(t, []));
  for (const [path, status] of [['/api/v1/sessions', 200], ['/nope', 404], ['/api/v1/sessions?limit=x', 400], ['/api/v1/sessions/NOPE', 404]] as const) {
    const res = await get(path);
    assert.equal(res.status, status, path);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(typeof ((await res.json()) as { error?: unknown }).error === 'string', status !== 200, path);
  }
});

test('bad input is a 400 naming the parameter; limits are enforced', async (t) => {
  const get = await serve(t, await storeWithEvents(t, []));
  const cases: [string, number, string | undefined][] = [
    ['/api/v1/sessions?limit=501', 400, 'limit'],
    ['/api/v1/sessions?limit=0', 400, 'limit'],
    ['/api/v1/sessions?source=not-an-ip', 400, 'source'],
    ['/api/v1/sessions?protocol=gopher', 400, 'protocol'],
    ['/api/v1/sessions?since=yesterday', 400, 'since'],
    ['/api/v1/sessions?cursor=%7B%7D', 400, 'cursor'],
    ['/api/v1/sessions?bogus=1', 400, 'bogus'],
    ['/api/v1/sessions?persona=a&persona=b', 400, 'persona'],
    [`/api/v1/sessions?command=${'x'.repeat(300)}`, 400, 'command'],
    ['/api/v1/samples/ABC', 400, 'sha256'],
    ['/api/v1/sessions/a.b', 400, 'id'],
    ['/api/v1/sources?limit=500', 200, undefined],
    [`/api/v1/sessions?persona=${'a'.repeat(MAX_TARGET)}`, 414, undefined],
    [`/api/v1/devices?${Array.from({ length: 40 }, (_, i) => `p${i}=1`).join('&')}`, 400, undefined],
  ];
  for (const [path, status, parameter] of cases) {
    const res = await get(path);
    assert.equal(res.status, status, path.slice(0, 80));
    const body = (await res.json()) as { parameter?: string };
    assert.equal(body.parameter, parameter, path.slice(0, 80));
  }
});

test('errors do not leak internals', async (t) => {
  const store = await storeWithEvents(t, []);
  const broken: Store = { ...store, listDevices: () => { throw new Error('SQLITE_CORRUPT at /secret/path'); } };
  const get = await serve(t, broken);
  const res = await get('/api/v1/devices');
  assert.equal(res.status, 500);
  assert.deepEqual(await res.json(), { error: 'internal', message: 'internal error' });
});

test('a configured token is required and checked', async (t) => {
  const token = 'test-token-0123456789abcdef';
  const get = await serve(t, await storeWithEvents(t, []), token);
  assert.equal((await get('/api/v1/devices')).status, 401);
  assert.equal((await get('/api/v1/devices', { authorization: 'Bearer wrong-token-0123456789abc' })).status, 401);
  const ok = await get('/api/v1/devices', { authorization: `Bearer ${token}` });
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { devices: [] });
});

test('attacker strings come back as escaped JSON text, never markup', async (t) => {
  const get = await serve(t, await storeWithEvents(t, hostileEvents()));
  const list = await get(`/api/v1/sessions?username=${encodeURIComponent(XSS)}`);
  const raw = await list.text();
  assert.doesNotMatch(raw, /[<>]/);
  const body = JSON.parse(raw) as { sessions: { id: string; username: string }[] };
  assert.equal(body.sessions.length, 1);
  assert.equal(body.sessions[0]?.username, XSS);
  const detail = await get(`/api/v1/sessions/${body.sessions[0]?.id ?? ''}`);
  const text = await detail.text();
  assert.doesNotMatch(text, /[<>]/);
  assert.ok(text.includes(JSON.stringify(`echo ${XSS}`).replace(/</g, '\\u003c').replace(/>/g, '\\u003e')));
});
