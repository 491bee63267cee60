// A store for query tests: the events are written through the real SQLite sink into a temp data
// directory (rollups included), then opened read-side; both are removed after the test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HachiEvent } from '../core/events.ts';
import { openSqliteSink } from '../sinks/sqlite.ts';
import { openStore, type Store } from '../storage/store.ts';

export async function storeWithEvents(t: { after: (fn: () => unknown) => void }, events: readonly HachiEvent[]): Promise<Store> {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-store-'));
  const sink = await openSqliteSink({}, { dataDir: dir, now: Date.now });
  await sink.write(events);
  await sink.close();
  const store = openStore(dir);
  t.after(async () => {
    store.close();
    await rm(dir, { recursive: true, force: true });
  });
  return store;
}
