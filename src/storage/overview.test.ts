// Overview: the rollups the SQLite sink keeps (and the migration's backfill) give what a brute-force
// scan of the same events gives, for random sessions, batch splits and ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import type { HachiEvent } from '../core/events.ts';
import { isSessionEvent } from '../core/events.ts';
import { openSqliteSink } from '../sinks/sqlite.ts';
import { seededRandom, syntheticSession } from '../testing/overview-events.ts';
import { DAY_MS, HOUR_MS, normaliseCommand } from './rollup-keys.ts';
import { storePath } from './schema.ts';
import { openStore } from './store.ts';
import type { Overview } from './store.ts';

const T0 = Date.UTC(2026, 0, 1);

function sessions(seed: number, count: number, spanHours: number): HachiEvent[] {
  const random = seededRandom(seed);
  const out: HachiEvent[] = [];
  for (let i = 0; i < count; i++) out.push(...syntheticSession(i, { random, start: T0 + Math.floor(random() * spanHours * HOUR_MS), events: 3 + Math.floor(random() * 12), stepMs: 97_000, sources: 8 }));
  return out;
}

type Tally = Map<string, { keys: string[]; count: number; first: number; last: number }>;

function tally(into: Tally, keys: string[], ts: number): void {
  const k = JSON.stringify(keys);
  const t = into.get(k);
  if (t) Object.assign(t, { count: t.count + 1, first: Math.min(t.first, ts), last: Math.max(t.last, ts) });
  else into.set(k, { keys, count: 1, first: ts, last: ts });
}

function top(t: Tally) {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...t.values()].sort((a, b) => b.count - a.count || b.last - a.last || cmp(a.keys[0]!, b.keys[0]!) || cmp(a.keys[1] ?? '', b.keys[1] ?? '')).slice(0, 10);
}

/** The overview computed the slow, obvious way from the events themselves. */
function bruteForce(events: readonly HachiEvent[], since: number, until: number): Overview {
  const bucketMs = until - since > 7 * DAY_MS ? DAY_MS : HOUR_MS;
  const inRange = (ts: number) => ts >= since && ts < until;
  const counters = { sessions: 0, loginsOk: 0, loginsFailed: 0, commands: 0, samples: 0, exploits: 0 };
  const creds: Tally = new Map(), commands: Tally = new Map(), sources: Tally = new Map(), byProtocol: Tally = new Map(), byPersona: Tally = new Map();
  const samples = new Map<string, { sha256: string; size: number; firstSeen: number; count: number }>();
  for (const e of events) {
    if (!isSessionEvent(e)) continue;
    if (e.type === 'file.write') {
      const s = samples.get(e.data.sha256);
      if (s) Object.assign(s, { firstSeen: Math.min(s.firstSeen, e.ts), count: s.count + 1 });
      else samples.set(e.data.sha256, { sha256: e.data.sha256, size: e.data.size, firstSeen: e.ts, count: 1 });
    }
    if (!inRange(e.ts)) continue;
    const bucket = String(Math.floor(e.ts / bucketMs) * bucketMs);
    if (e.type === 'session.connect') {
      counters.sessions += 1;
      tally(sources, [e.src.ip], e.ts);
      tally(byProtocol, [bucket, e.protocol], e.ts);
      tally(byPersona, [bucket, e.persona], e.ts);
    } else if (e.type === 'auth.attempt') {
      if (e.data.success) counters.loginsOk += 1;
      else counters.loginsFailed += 1;
      tally(creds, [e.data.username, e.data.password], e.ts);
    } else if (e.type === 'command.input') {
      counters.commands += 1;
      tally(commands, [normaliseCommand(e.data.line)], e.ts);
    } else if (e.type === 'exploit.detected') counters.exploits += 1;
  }
  const newest = [...samples.values()].filter((s) => inRange(s.firstSeen)).sort((a, b) => b.firstSeen - a.firstSeen || (a.sha256 < b.sha256 ? -1 : 1));
  counters.samples = newest.length;
  const series = (t: Tally) => [...t.values()].map((v) => ({ bucket: Number(v.keys[0]), key: v.keys[1]!, sessions: v.count })).sort((a, b) => a.bucket - b.bucket || (a.key < b.key ? -1 : 1));
  const entry = (v: { count: number; first: number; last: number }) => ({ count: v.count, firstSeen: v.first, lastSeen: v.last });
  return {
    since, until, bucketMs, counters,
    sessionsByProtocol: series(byProtocol),
    sessionsByPersona: series(byPersona),
    topCredentials: top(creds).map((v) => ({ username: v.keys[0]!, password: v.keys[1]!, ...entry(v) })),
    topCommands: top(commands).map((v) => ({ command: v.keys[0]!, ...entry(v) })),
    topSources: top(sources).map((v) => ({ ip: v.keys[0]!, ...entry(v) })),
    newestSamples: newest.slice(0, 10),
  };
}

async function tempDir(t: { after: (fn: () => unknown) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-overview-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('the overview from the sink-kept rollups equals a brute-force count of the events', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.integer(), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 0, max: 240 }), fc.integer({ min: 1, max: 240 }), async (seed, count, batch, fromHour, hours) => {
      const events = sessions(seed, count, 20 * 24);
      const dir = await mkdtemp(join(tmpdir(), 'hachi-overview-'));
      try {
        const sink = await openSqliteSink({}, { dataDir: dir, now: Date.now });
        for (let i = 0; i < events.length; i += batch) await sink.write(events.slice(i, i + batch));
        await sink.write(events.slice(0, batch)); // a replay must not count twice
        await sink.close();
        const store = openStore(dir);
        try {
          const since = T0 + fromHour * HOUR_MS;
          assert.deepEqual(store.overview({ since, until: since + hours * HOUR_MS }), bruteForce(events, since, since + hours * HOUR_MS));
        } finally {
          store.close();
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: 25 },
  );
  t.diagnostic('25 random stores compared');
});

test('a range is widened to whole hours and long ranges are bucketed by day', async (t) => {
  const dir = await tempDir(t);
  const events = sessions(7, 50, 10 * 24);
  const sink = await openSqliteSink({}, { dataDir: dir, now: Date.now });
  await sink.write(events);
  await sink.close();
  const store = openStore(dir);
  t.after(() => store.close());
  const o = store.overview({ since: T0 + 10, until: T0 + 3 * HOUR_MS - 5 });
  assert.deepEqual([o.since, o.until, o.bucketMs], [T0, T0 + 3 * HOUR_MS, HOUR_MS]);
  const long = store.overview({ since: T0, until: T0 + 10 * DAY_MS });
  assert.equal(long.bucketMs, DAY_MS);
  assert.equal(long.counters.sessions, 50);
  assert.ok(long.sessionsByPersona.every((p) => p.bucket % DAY_MS === 0));
  assert.deepEqual(store.overview({ since: T0 - DAY_MS, until: T0 - HOUR_MS }).counters, { sessions: 0, loginsOk: 0, loginsFailed: 0, commands: 0, samples: 0, exploits: 0 });
});

test('migration 4 applies to an existing store and backfills the rollups from its events', async (t) => {
  const dir = await tempDir(t);
  const events = [...sessions(11, 80, 72), ...sessions(12, 3, 72).map((e) => (e.type === 'command.input' ? { ...e, id: `${e.id}x`, data: { line: ` \t${'ü'.repeat(300)}\r\n` } } : { ...e, id: `${e.id}x` }))];
  const sink = await openSqliteSink({}, { dataDir: dir, now: Date.now });
  await sink.write(events);
  await sink.close();
  // Turn it back into a version-3 store: same events, no rollups, no migration 4 recorded.
  const db = new DatabaseSync(storePath(dir));
  db.exec(`DROP TABLE rollup_sessions; DROP TABLE rollup_hourly; DROP TABLE rollup_top;
    DROP INDEX artifacts_by_first_seen; DROP INDEX sessions_by_src; DROP INDEX events_auth_username; DROP INDEX events_auth_password; DELETE FROM schema_migrations WHERE version = 4;`);
  db.close();
  const store = openStore(dir);
  t.after(() => store.close());
  for (const [since, until] of [[T0, T0 + 72 * HOUR_MS], [T0 + 5 * HOUR_MS, T0 + 9 * HOUR_MS]] as const) {
    assert.deepEqual(store.overview({ since, until }), bruteForce(events, since, until));
  }
});
