// SQLite sink: the sink contract, migrations, rollups, replay and kill -9 durability.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { openSqliteSink } from './sqlite.ts';
import { openStore } from '../storage/store.ts';
import { storePath } from '../storage/schema.ts';
import { runSinkContract } from '../testing/sink-contract.ts';
import { createEventFactory } from '../testing/telnet-events.ts';

runSinkContract('sqlite', async (dir) => ({
  sink: await openSqliteSink({}, { dataDir: dir, now: Date.now }),
  readBack: async () => {
    const store = openStore(dir);
    try {
      return store.listEvents({ limit: 100_000 });
    } finally {
      store.close();
    }
  },
}));

test('the store runs in WAL mode with synchronous=NORMAL and records its migrations', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sqlite-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const sink = await openSqliteSink({}, { dataDir: dir, now: Date.now });
  await sink.close();
  const again = await openSqliteSink({}, { dataDir: dir, now: Date.now });
  await again.close();
  const db = new DatabaseSync(storePath(dir));
  assert.equal(db.prepare('PRAGMA journal_mode').get()?.['journal_mode'], 'wal');
  assert.deepEqual(db.prepare('SELECT version FROM schema_migrations').all().map((r) => r['version']), [1, 2, 3, 4]);
  const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all().map((r) => r['name']);
  for (const name of ['events_by_session', 'events_by_type_ts', 'events_by_ts', 'sessions_by_start', 'artifacts_by_last_seen']) assert.ok(indexes.includes(name), name);
  db.close();
});

test('replayed events are ignored, so rollups never count twice', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sqlite-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const events = createEventFactory().botSession(5);
  const sink = await openSqliteSink({}, { dataDir: dir, now: Date.now });
  await sink.write(events);
  await sink.write(events);
  await sink.close();
  const store = openStore(dir);
  t.after(() => store.close());
  assert.equal(store.listEvents().length, events.length);
  const [session] = store.listSessions();
  assert.equal(session?.commandCount, 11);
  assert.equal(session?.authAttempts, 2);
  assert.equal(store.listSamples()[0]?.count, 1);
});

test('a failed batch is rolled back whole', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sqlite-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const f = createEventFactory();
  const good = f.event('command.input', { line: 'id' });
  const broken = { ...f.event('command.input', { line: 'x' }), ts: Symbol('not storable') } as unknown as typeof good;
  const sink = await openSqliteSink({}, { dataDir: dir, now: Date.now });
  await assert.rejects(sink.write([good, broken]));
  await sink.write([f.event('command.input', { line: 'after' })]);
  await sink.close();
  const store = openStore(dir);
  t.after(() => store.close());
  assert.deepEqual(store.listEvents().map((e) => (e.type === 'command.input' ? e.data.line : '')), ['after']);
});

test('every event acknowledged by write survives kill -9', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sqlite-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const child = spawn(process.execPath, [fileURLToPath(new URL('../testing/sqlite-crash-child.ts', import.meta.url)), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acked: string[] = [];
  let partial = '';
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited early: ${code} ${signal}`))));
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('latin1')).split('\n');
      partial = lines.pop() ?? '';
      acked.push(...lines);
      if (acked.length >= 5000 && !child.killed) child.kill('SIGKILL');
    });
  });
  const store = openStore(dir);
  t.after(() => store.close());
  const stored = new Set(store.listEvents({ limit: 100_000 }).map((e) => e.id));
  const missing = acked.filter((id) => !stored.has(id));
  assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged events lost`);
  assert.ok(stored.size >= acked.length);
});
