// Query store: sessions, events and samples read back; hostile strings stay data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEventFactory } from '../testing/telnet-events.ts';
import { storeWithEvents as storeWith } from '../testing/store-with-events.ts';

test('sessions roll up connect, logins, commands and close', async (t) => {
  const f = createEventFactory(1_000);
  const s = f.session(9, 'cam');
  const store = await storeWith(t, [
    f.event('session.connect', {}, s),
    f.event('auth.attempt', { method: 'password', username: 'admin', password: 'admin', success: false, attempt: 1 }, s),
    f.event('auth.attempt', { method: 'password', username: 'root', password: 'xc3511', success: true, attempt: 2 }, s),
    f.event('auth.attempt', { method: 'password', username: 'late', password: 'late', success: false, attempt: 3 }, s),
    f.event('command.input', { line: 'sh' }, s),
    f.event('command.input', { line: 'id' }, s),
    f.event('session.close', { reason: 'exit', durationMs: 7, bytesIn: 10, bytesOut: 20 }, s),
  ]);
  assert.deepEqual(store.getSession(s.session), {
    id: s.session, protocol: 'telnet', mode: 'emulated', persona: 'cam', src: s.src, dst: s.dst,
    start: 1_001, end: 1_007, loginSuccess: true, username: 'root', password: 'xc3511', authAttempts: 3,
    commandCount: 2, closeReason: 'exit', durationMs: 7, bytesIn: 10, bytesOut: 20,
  });
  assert.equal(store.getSession('nope'), null);
});

test('listSessions filters by time, persona and source, newest first, limited', async (t) => {
  const f = createEventFactory(10_000);
  const events = [0, 1, 2, 3].flatMap((i) => f.botSession(i));
  const store = await storeWith(t, events);
  const all = store.listSessions();
  assert.equal(all.length, 4);
  assert.ok(all[0]!.start > all[3]!.start);
  assert.deepEqual(store.listSessions({ persona: 'tplink-router' }).map((s) => s.src.ip), ['198.51.0.3', '198.51.0.0']);
  assert.deepEqual(store.listSessions({ source: '198.51.0.2' }).length, 1);
  assert.equal(store.listSessions({ since: all[1]!.start }).length, 2);
  assert.equal(store.listSessions({ limit: 1 }).length, 1);
  assert.deepEqual(store.listSessions({ persona: "x' OR '1'='1" }), [], 'values are bound, never spliced into SQL');
});

test('listEvents filters by session, type and time, in id order', async (t) => {
  const f = createEventFactory(50_000);
  const a = f.botSession(1);
  const b = f.botSession(2);
  const store = await storeWith(t, [...b, ...a]);
  const sessionA = (a[0] as { session: string }).session;
  assert.deepEqual(store.listEvents({ session: sessionA }), a);
  assert.equal(store.listEvents({ type: 'auth.attempt' }).length, 4);
  assert.deepEqual(store.listEvents({ since: b[0]!.ts, limit: 3 }), b.slice(0, 3));
  assert.deepEqual(store.listEvents({ type: "'; DROP TABLE events; --" }), []);
  assert.equal(store.listEvents({ limit: 100_000 }).length, a.length + b.length);
});

test('listSamples joins artifacts with their sightings and the download that named the path', async (t) => {
  const f = createEventFactory(5_000);
  const events = [1, 2, 51].flatMap((i) => f.botSession(i));
  const store = await storeWith(t, events);
  const samples = store.listSamples();
  assert.equal(samples.length, 2, 'session 1 and 51 dropped the same bytes');
  const shared = samples.find((s) => s.count === 2)!;
  assert.equal(shared.sessions.length, 2);
  assert.deepEqual(shared.paths, ['/tmp/.d']);
  assert.deepEqual([...shared.personas].sort(), ['hi3518-camera', 'tplink-router']);
  assert.deepEqual([...shared.sourceUrls].sort(), ['http://203.0.113.1/bins/mirai.arm7', 'http://203.0.113.51/bins/mirai.arm7']);
  assert.ok(shared.firstSeen < shared.lastSeen);
});

test('openStore on an empty data directory gives an empty store', async (t) => {
  const store = await storeWith(t, []);
  assert.deepEqual(store.listSessions(), []);
  assert.deepEqual(store.listSamples(), []);
});
