// Store benchmark: sustained events/s into the SQLite sink through the dispatcher, with realistic
// Telnet bot-session events, beside a raw-INSERT baseline of the same rows. Run: npx node bench/store.ts [events]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSessionEvent } from '../src/core/events.ts';
import type { HachiEvent } from '../src/core/events.ts';
import type { EventSink } from '../src/core/ports.ts';
import { createDispatcher } from '../src/pipeline/dispatcher.ts';
import type { Logger } from '../src/core/ports.ts';
import { openJsonlSink } from '../src/sinks/jsonl.ts';
import { openSqliteSink } from '../src/sinks/sqlite.ts';
import { openWorkerSink } from '../src/sinks/worker-sink.ts';
import { openDatabase, storePath } from '../src/storage/schema.ts';
import { createEventFactory } from '../src/testing/telnet-events.ts';

const total = Number(process.argv[2] ?? 200_000);
const factory = createEventFactory(Date.now());
const events: HachiEvent[] = [];
for (let i = 0; events.length < total; i++) events.push(...factory.botSession(i));
events.length = total;

const warnings: string[] = [];
const logger: Logger = { info: () => {}, warn: (message) => warnings.push(message) };

async function timed(name: string, run: (dataDir: string) => Promise<void>): Promise<{ name: string; seconds: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-bench-'));
  try {
    const start = performance.now();
    await run(dir);
    return { name, seconds: (performance.now() - start) / 1000 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Baseline: the same event rows, one prepared INSERT, 1,000 per transaction; no rollups, no sink, no dispatcher. */
async function rawInsert(dataDir: string): Promise<void> {
  const db = openDatabase(storePath(dataDir));
  const insert = db.prepare(
    'INSERT INTO events (id, ts, type, schema, sensor, session, protocol, mode, persona, src_ip, src_port, dst_ip, dst_port, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (let i = 0; i < events.length; i += 1000) {
    db.exec('BEGIN');
    for (const e of events.slice(i, i + 1000)) {
      if (isSessionEvent(e)) insert.run(e.id, e.ts, e.type, e.schema, e.sensor, e.session, e.protocol, e.mode, e.persona, e.src.ip, e.src.port, e.dst.ip, e.dst.port, JSON.stringify(e.data));
    }
    db.exec('COMMIT');
  }
  db.close();
}

async function direct(sink: EventSink): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) await sink.write(events.slice(i, i + 1000));
  await sink.close();
}

/** Publishes as sessions would (yielding to the event loop between bursts) and waits for the flush. */
async function throughDispatcher(sinks: EventSink[]): Promise<void> {
  const d = createDispatcher({ sinks, logger });
  for (let i = 0; i < events.length; i++) {
    d.publish(events[i]!);
    if (i % 1000 === 999) {
      await new Promise((resolve) => setImmediate(resolve));
      // Sustained rate, not burst: hold back while a sink (in a worker, say) is more than 20k behind.
      while (Object.values(d.stats()).some((s) => s.queued > 20_000)) await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  const ok = await d.flush({ timeoutMs: 120_000 });
  await d.close();
  if (!ok) warnings.push('flush timed out');
  for (const [name, s] of Object.entries(d.stats())) if (s.written !== events.length) warnings.push(`${name} wrote ${s.written} of ${events.length}`);
}

const now = () => Date.now();
const rows = [
  await timed('baseline: raw INSERT, events table only', rawInsert),
  await timed('sqlite sink direct (events + rollups)', async (dir) => direct(await openSqliteSink({}, { dataDir: dir, now }))),
  await timed('dispatcher -> sqlite sink', async (dir) => throughDispatcher([await openSqliteSink({}, { dataDir: dir, now })])),
  await timed('dispatcher -> sqlite + jsonl sinks', async (dir) =>
    throughDispatcher([await openSqliteSink({}, { dataDir: dir, now }), await openJsonlSink({}, { dataDir: dir, now })]),
  ),
  await timed('dispatcher -> sqlite in a worker', async (dir) => throughDispatcher([await openWorkerSink('sqlite', {}, dir)])),
  // What `hachi run` uses: each sink in its own worker thread.
  await timed('dispatcher -> sqlite + jsonl in workers', async (dir) => throughDispatcher([await openWorkerSink('sqlite', {}, dir), await openWorkerSink('jsonl', {}, dir)])),
];

const base = rows[0]!.seconds;
const out = [`store benchmark: ${events.length} events (${Math.round(events.length / 20)} Telnet bot sessions), node ${process.version}`, ''];
out.push(`${'run'.padEnd(42)} ${'seconds'.padStart(8)} ${'events/s'.padStart(10)} ${'vs baseline'.padStart(12)}`);
for (const r of rows) {
  out.push(`${r.name.padEnd(42)} ${r.seconds.toFixed(3).padStart(8)} ${Math.round(events.length / r.seconds).toLocaleString('en-US').padStart(10)} ${`${((base / r.seconds) * 100).toFixed(0)}%`.padStart(12)}`);
}
if (warnings.length) out.push('', `warnings: ${warnings.join('; ')}`);
process.stdout.write(`${out.join('\n')}\n`);
