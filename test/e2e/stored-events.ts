// Reads events back from a running hachi's SQLite store for end-to-end assertions, waiting until
// the wanted number have arrived (events reach the store asynchronously).
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { RunningHachi } from './hachi-process.ts';

export interface StoredEvent {
  readonly id: string;
  readonly type: string;
  readonly session: string;
  readonly persona: string;
  readonly mode: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Events of `type` that pass `keep`, oldest first; waits up to `timeoutMs` for at least `count`, then returns what there is. */
export async function storedEvents(hachi: RunningHachi, type: string, keep: (event: StoredEvent) => boolean, count = 1, timeoutMs = 10_000): Promise<StoredEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const db = new DatabaseSync(join(hachi.dataDir, 'hachi.db'), { readOnly: true });
    let found: StoredEvent[];
    try {
      const rows = db.prepare('SELECT id, type, session, persona, mode, data FROM events WHERE type = ? ORDER BY id').all(type) as Record<string, unknown>[];
      found = rows
        .map((r) => ({ id: String(r['id']), type: String(r['type']), session: String(r['session'] ?? ''), persona: String(r['persona'] ?? ''), mode: String(r['mode'] ?? ''), data: JSON.parse(String(r['data'])) as Record<string, unknown> }))
        .filter(keep);
    } finally {
      db.close();
    }
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Rows of any read-only query on the store (bound `params`), waiting up to `timeoutMs` for at least `count`. */
export async function storedRows(hachi: RunningHachi, sql: string, count: number, params: readonly string[] = [], timeoutMs = 10_000): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const db = new DatabaseSync(join(hachi.dataDir, 'hachi.db'), { readOnly: true });
    let found: Record<string, unknown>[];
    try {
      found = db.prepare(sql).all(...params) as Record<string, unknown>[];
    } finally {
      db.close();
    }
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
