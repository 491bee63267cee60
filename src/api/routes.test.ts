// The query API routes over a real store: session filters, cursor pages that stay stable while new
// sessions arrive, session detail with events and recording, samples, exploits, devices, sources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HachiEvent } from '../core/events.ts';
import { openSqliteSink } from '../sinks/sqlite.ts';
import { openStore } from '../storage/store.ts';
import type { SessionSummary } from '../storage/store.ts';
import { storeWithEvents } from '../testing/store-with-events.ts';
import { createEventFactory } from '../testing/telnet-events.ts';
import { serveApi, type ApiGet } from '../testing/api-client.ts';

interface Page { sessions: SessionSummary[]; next: string | null }
const json = async <T>(get: ApiGet, path: string): Promise<T> => {
  const res = await get(path);
  assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
  return (await res.json()) as T;
};

test('sessions filter by persona, device, source, protocol, credential, command and time', async (t) => {
  const f = createEventFactory();
  const events = Array.from({ length: 6 }, (_, i) => f.botSession(i)).flat();
  const real = { ...f.session(99, 'cam-lab-1'), mode: 'real' as const };
  events.push(f.event('session.connect', {}, real), f.event('command.input', { line: 'cat /etc/pass%wd_x' }, real));
  const get = await serveApi(t, await storeWithEvents(t, events));
  const ids = async (q: string): Promise<string[]> => (await json<Page>(get, `/api/v1/sessions?${q}`)).sessions.map((s) => s.persona + '@' + s.src.ip);

  assert.equal((await ids('')).length, 7);
  assert.deepEqual(await ids('persona=tplink-router'), ['tplink-router@198.51.0.3', 'tplink-router@198.51.0.0']);
  assert.deepEqual(await ids('device=cam-lab-1'), ['cam-lab-1@198.51.0.99']);
  assert.deepEqual(await ids('device=hi3518-camera'), []); // emulated, not a device
  assert.deepEqual(await ids('source=198.51.0.4'), ['hi3518-camera@198.51.0.4']);
  assert.equal((await ids('protocol=telnet')).length, 7);
  assert.deepEqual(await ids('protocol=ssh'), []);
  assert.equal((await ids('username=root&password=xc3511')).length, 6); // a failed attempt counts too
  assert.deepEqual(await ids('password=nope'), []);
  assert.equal((await ids(`command=${encodeURIComponent('/proc/cpu')}`)).length, 6);
  // % and _ are literal, not wildcards; the match is case-sensitive.
  assert.deepEqual(await ids(`command=${encodeURIComponent('pass%wd_')}`), ['cam-lab-1@198.51.0.99']);
  assert.deepEqual(await ids(`command=${encodeURIComponent('pass_wd')}`), []);
  assert.deepEqual(await ids('command=%25'), ['cam-lab-1@198.51.0.99']);
  assert.deepEqual(await ids('command=CAT%20%2Fproc'), []);
  const all = (await json<Page>(get, '/api/v1/sessions')).sessions;
  const third = all[2]?.start ?? 0;
  assert.equal((await ids(`since=${third}`)).length, 3);
  assert.equal((await ids(`until=${third}`)).length, 4);
  assert.equal((await ids(`since=${new Date(third).toISOString()}`)).length, 3);
});

test('cursor pages are newest first and stable while sessions are added', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-api-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const f = createEventFactory();
  const write = async (events: readonly HachiEvent[]): Promise<void> => {
    const sink = await openSqliteSink({}, { dataDir: dir, now: Date.now });
    await sink.write(events);
    await sink.close();
  };
  await write(Array.from({ length: 7 }, (_, i) => f.botSession(i)).flat());
  const store = openStore(dir);
  t.after(() => store.close());
  const get = await serveApi(t, store);
  const first = await json<Page>(get, '/api/v1/sessions?limit=3');
  assert.deepEqual(first.sessions.map((s) => s.src.ip), ['198.51.0.6', '198.51.0.5', '198.51.0.4']);
  assert.ok(first.next);
  await write(Array.from({ length: 3 }, (_, i) => f.botSession(100 + i)).flat()); // newer sessions arrive
  const second = await json<Page>(get, `/api/v1/sessions?limit=3&cursor=${first.next}`);
  assert.deepEqual(second.sessions.map((s) => s.src.ip), ['198.51.0.3', '198.51.0.2', '198.51.0.1']);
  const third = await json<Page>(get, `/api/v1/sessions?limit=3&cursor=${second.next ?? ''}`);
  assert.deepEqual(third.sessions.map((s) => s.src.ip), ['198.51.0.0']);
  assert.equal(third.next, null);
  assert.equal((await json<Page>(get, '/api/v1/sessions?limit=500')).sessions.length, 10);
});

test('session detail pages through events and points to the recording', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-api-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const f = createEventFactory();
  const events = f.botSession(1);
  const id = events[0]?.type === 'session.connect' && 'session' in events[0] ? events[0].session : '';
  const s = f.session(1);
  const sessionFields = { ...s, session: id };
  const cast = '{"version":2,"width":80,"height":24}\n[0.1,"o","<b>hi</b>"]\n';
  const path = `recordings/2023-11-14/${id}.cast`;
  events.push(f.event('session.recording', { path, format: 'asciicast-v2', bytes: cast.length }, sessionFields));
  await mkdir(join(dir, 'recordings/2023-11-14'), { recursive: true });
  await writeFile(join(dir, path), cast);
  const sink = await openSqliteSink({}, { dataDir: dir, now: Date.now });
  await sink.write(events);
  await sink.close();
  const store = openStore(dir);
  t.after(() => store.close());
  const get = await serveApi(t, store);

  interface Detail { session: SessionSummary; events: HachiEvent[]; next: string | null; recording: { path: string; url: string } | null }
  const one = await json<Detail>(get, `/api/v1/sessions/${id}?limit=5`);
  assert.equal(one.session.id, id);
  assert.equal(one.events.length, 5);
  assert.equal(one.events[0]?.type, 'session.connect');
  assert.equal(one.recording?.path, path);
  const rest = await json<Detail>(get, `/api/v1/sessions/${id}?limit=1000&cursor=${one.next ?? ''}`);
  assert.equal(one.events.length + rest.events.length, events.length);
  assert.equal(rest.next, null);
  assert.deepEqual([...one.events, ...rest.events].map((e) => e.id), events.map((e) => e.id));

  const recording = await json<{ text: string; truncated: boolean }>(get, one.recording?.url ?? '');
  assert.equal(recording.text, cast);
  assert.equal(recording.truncated, false);
  assert.equal((await get('/api/v1/sessions/01UNKNOWN')).status, 404);
  assert.equal((await get('/api/v1/sessions/01UNKNOWN/recording')).status, 404);
});

test('samples, exploits, devices and sources', async (t) => {
  const f = createEventFactory();
  const events = Array.from({ length: 4 }, (_, i) => f.botSession(i % 2)).flat();
  const s = f.session(5);
  events.push(f.event('exploit.detected', { seq: 1, signature: 'cve-x', name: 'X', cves: ['CVE-2020-1'], vendor: 'v', product: 'p', technique: 'cmd', classes: [], affected: true, payload: '<x>', evidence: 'e' }, s));
  const get = await serveApi(t, await storeWithEvents(t, events));

  const samples = await json<{ samples: { sha256: string }[]; truncated: boolean }>(get, '/api/v1/samples?limit=1');
  assert.equal(samples.samples.length, 1);
  assert.equal(samples.truncated, true);
  const sha = samples.samples[0]?.sha256 ?? '';
  const sample = await json<{ sample: { sha256: string }; detail: unknown }>(get, `/api/v1/samples/${sha}`);
  assert.equal(sample.sample.sha256, sha);
  assert.equal((await get(`/api/v1/samples/${'0'.repeat(64)}`)).status, 404);

  const exploits = await json<{ detections: { signature: string }[]; candidates: unknown[] }>(get, '/api/v1/exploits');
  assert.deepEqual(exploits.detections.map((d) => d.signature), ['cve-x']);
  assert.deepEqual(await json(get, '/api/v1/devices'), { devices: [] });

  interface Sources { sources: { ip: string; sessions: number }[]; next: string | null }
  const page1 = await json<Sources>(get, '/api/v1/sources?limit=1');
  assert.deepEqual(page1.sources.map((x) => [x.ip, x.sessions]), [['198.51.0.0', 2]]);
  const page2 = await json<Sources>(get, `/api/v1/sources?limit=5&cursor=${page1.next ?? ''}`);
  assert.deepEqual(page2.sources.map((x) => [x.ip, x.sessions]), [['198.51.0.1', 2]]);
  assert.equal(page2.next, null);
});
