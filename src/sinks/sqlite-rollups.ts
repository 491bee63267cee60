// The overview's hourly rollups, kept by the SQLite sink: each batch's events are counted in memory
// and upserted once per distinct row at the end of the batch's transaction, so the write path stays cheap.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SessionEvent } from '../core/events.ts';
import { capKey, hourOf, normaliseCommand } from '../storage/rollup-keys.ts';
import type { TopKind } from '../storage/rollup-keys.ts';

export interface RollupBatch {
  /** Counts one newly stored session event (replays are filtered out by the caller). */
  add(e: SessionEvent): void;
  /** Upserts everything counted; call inside the batch's transaction. */
  flush(): void;
}

interface Top { kind: TopKind; hour: number; k1: string; k2: string; n: number; first: number; last: number }
interface Hourly { ok: number; failed: number; commands: number }

export function prepareRollups(db: DatabaseSync): () => RollupBatch {
  const sessions: StatementSync = db.prepare(
    `INSERT INTO rollup_sessions (hour, protocol, mode, persona, sessions) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (hour, protocol, mode, persona) DO UPDATE SET sessions = sessions + excluded.sessions`,
  );
  const hourly = db.prepare(
    `INSERT INTO rollup_hourly (hour, logins_ok, logins_failed, commands) VALUES (?, ?, ?, ?)
     ON CONFLICT (hour) DO UPDATE SET logins_ok = logins_ok + excluded.logins_ok, logins_failed = logins_failed + excluded.logins_failed,
       commands = commands + excluded.commands`,
  );
  const top = db.prepare(
    `INSERT INTO rollup_top (kind, hour, k1, k2, n, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind, hour, k1, k2) DO UPDATE SET n = n + excluded.n,
       first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)`,
  );
  return () => {
    // Map keys: k1 is length-prefixed, so an attacker string holding the separator cannot make two keys collide;
    // protocol, mode and persona are hachi's own names.
    const sessionRows = new Map<string, { hour: number; protocol: string; mode: string; persona: string; n: number }>();
    const hourlyRows = new Map<number, Hourly>();
    const topRows = new Map<string, Top>();
    const hourlyOf = (hour: number): Hourly => {
      let row = hourlyRows.get(hour);
      if (!row) hourlyRows.set(hour, (row = { ok: 0, failed: 0, commands: 0 }));
      return row;
    };
    const count = (kind: TopKind, ts: number, k1: string, k2: string): void => {
      const hour = hourOf(ts);
      const key = `${kind}|${hour}|${k1.length}|${k1}|${k2}`;
      const row = topRows.get(key);
      if (row) {
        row.n += 1;
        row.first = Math.min(row.first, ts);
        row.last = Math.max(row.last, ts);
      } else topRows.set(key, { kind, hour, k1, k2, n: 1, first: ts, last: ts });
    };
    return {
      add(e) {
        switch (e.type) {
          case 'session.connect': {
            const hour = hourOf(e.ts);
            const key = `${hour}|${e.protocol}|${e.mode}|${e.persona}`;
            const row = sessionRows.get(key);
            if (row) row.n += 1;
            else sessionRows.set(key, { hour, protocol: e.protocol, mode: e.mode, persona: e.persona, n: 1 });
            count('source', e.ts, e.src.ip, '');
            break;
          }
          case 'auth.attempt':
            if (e.data.success) hourlyOf(hourOf(e.ts)).ok += 1;
            else hourlyOf(hourOf(e.ts)).failed += 1;
            count('credential', e.ts, capKey(e.data.username), capKey(e.data.password));
            break;
          case 'command.input':
            hourlyOf(hourOf(e.ts)).commands += 1;
            count('command', e.ts, normaliseCommand(e.data.line), '');
            break;
          case 'exploit.detected':
            count('exploit', e.ts, capKey(e.data.signature), '');
            break;
          default:
            break;
        }
      },
      flush() {
        for (const r of sessionRows.values()) sessions.run(r.hour, r.protocol, r.mode, r.persona, r.n);
        for (const [hour, r] of hourlyRows) hourly.run(hour, r.ok, r.failed, r.commands);
        for (const r of topRows.values()) top.run(r.kind, r.hour, r.k1, r.k2, r.n, r.first, r.last);
      },
    };
  };
}
