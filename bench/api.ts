// Query API benchmark: seeds a store with 10 M synthetic events (100 k sessions over 30 days) through
// the SQLite sink, so the rollups are built by the sink's own code path, then times Store.overview for
// the last hour, day and 30 days, and session search by source and by username (p50/p95 over 50 calls).
// Run: npx node bench/api.ts [--quick]   (quick: 1 M events, 10 k sessions)   [--keep DIR] reuses/keeps a seeded store.
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HachiEvent } from '../src/core/events.ts';
import { openSqliteSink } from '../src/sinks/sqlite.ts';
import { storePath } from '../src/storage/schema.ts';
import { openStore } from '../src/storage/store.ts';
import { seededRandom, syntheticSession } from '../src/testing/overview-events.ts';

const quick = process.argv.includes('--quick');
const keepAt = process.argv.indexOf('--keep');
const keep = keepAt > 0 ? process.argv[keepAt + 1] : undefined;
const EVENTS_PER_SESSION = 100;
const sessions = quick ? 10_000 : 100_000;
const SPAN = 30 * 86_400_000;
const SOURCES = 20_000;
const CALLS = 50;
const now = Date.now();
const t0 = now - SPAN;

const dir = keep ?? (await mkdtemp(join(tmpdir(), 'hachi-bench-api-')));
const out: string[] = [`api benchmark: ${sessions * EVENTS_PER_SESSION} events, ${sessions} sessions over 30 days, node ${process.version}`];

if (!existsSync(storePath(dir)) || !keep) {
  const random = seededRandom(42);
  const sink = await openSqliteSink({}, { dataDir: dir, now: Date.now });
  const started = performance.now();
  // 100 sessions (10,000 events) per batch; sessions start in time order, as a sensor would write them.
  for (let i = 0; i < sessions; i += 100) {
    const batch: HachiEvent[] = [];
    for (let j = i; j < Math.min(i + 100, sessions); j++) {
      const start = t0 + Math.floor((j / sessions) * (SPAN - 3_600_000) + random() * 60_000);
      batch.push(...syntheticSession(j, { random, start, events: EVENTS_PER_SESSION, stepMs: 1000, sources: SOURCES }));
    }
    await sink.write(batch);
    if (i % 10_000 === 0 && i > 0) process.stderr.write(`seeded ${i} sessions, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  }
  await sink.close();
  const seconds = (performance.now() - started) / 1000;
  out.push(`seeding through the SQLite sink (events + rollups): ${seconds.toFixed(1)} s, ${Math.round((sessions * EVENTS_PER_SESSION) / seconds).toLocaleString('en-US')} events/s`);
}

function measure(name: string, run: (i: number) => unknown): string {
  run(-1); // warm the page cache and statement once
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const start = performance.now();
    run(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!.toFixed(1);
  return `${name.padEnd(40)} ${at(0.5).padStart(9)} ${at(0.95).padStart(9)} ${times.at(-1)!.toFixed(1).padStart(9)}`;
}

const store = openStore(dir);
try {
  const ip = (i: number) => `198.18.${(((i * 7919) % SOURCES) >> 8) & 255}.${((i * 7919) % SOURCES) & 255}`;
  const users = ['root', 'admin', 'guest', 'support', 'user', 'nobody-tried-this'];
  out.push('', `${'query'.padEnd(40)} ${'p50 ms'.padStart(9)} ${'p95 ms'.padStart(9)} ${'max ms'.padStart(9)}`);
  out.push(measure('overview, last hour', () => store.overview({ since: now - 3_600_000, until: now })));
  out.push(measure('overview, last day', () => store.overview({ since: now - 86_400_000, until: now })));
  out.push(measure('overview, last 30 days', () => store.overview({ since: now - SPAN, until: now })));
  out.push(measure('listSessions by source ip (50)', (i) => store.listSessions({ source: ip(i + 1), limit: 50 })));
  out.push(measure('searchSessions by source ip (50)', (i) => store.searchSessions({ source: ip(i + 1), limit: 50 })));
  out.push(measure('searchSessions by username (50)', (i) => store.searchSessions({ username: users[Math.max(0, i) % users.length]!, limit: 50 })));
  const o = store.overview({ since: now - SPAN, until: now });
  out.push('', `30-day overview: ${JSON.stringify(o.counters)}, ${o.sessionsByProtocol.length} protocol points`);
} finally {
  store.close();
  if (!keep) await rm(dir, { recursive: true, force: true });
}
process.stdout.write(`${out.join('\n')}\n`);
