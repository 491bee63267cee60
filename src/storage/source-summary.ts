// Source addresses that opened sessions, most sessions first, with first and last seen; a keyset
// cursor over (sessions, address) pages through them.
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { int, text, textList } from './sql-row.ts';

export interface SourceSummary {
  readonly ip: string;
  readonly sessions: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly personas: readonly string[];
}

export interface SourceQuery {
  /** Only sessions started in [since, until) (ms). */
  readonly since?: number;
  readonly until?: number;
  /** Continue after this (sessions, ip) position of an earlier page. */
  readonly after?: { readonly sessions: number; readonly ip: string };
  readonly limit: number;
}

export function listSourceSummaries(db: DatabaseSync, q: SourceQuery): SourceSummary[] {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  if (q.since !== undefined) {
    where.push('start_ts >= ?');
    params.push(q.since);
  }
  if (q.until !== undefined) {
    where.push('start_ts < ?');
    params.push(q.until);
  }
  const having = q.after === undefined ? '' : 'HAVING n < ? OR (n = ? AND src_ip > ?)';
  if (q.after !== undefined) params.push(q.after.sessions, q.after.sessions, q.after.ip);
  const sql = `SELECT src_ip, count(*) AS n, min(start_ts) AS first, max(start_ts) AS last, json_group_array(DISTINCT persona) AS personas
    FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY src_ip ${having} ORDER BY n DESC, src_ip LIMIT ?`;
  return db
    .prepare(sql)
    .all(...params, q.limit)
    .map((r) => ({
      ip: text(r, 'src_ip'),
      sessions: int(r, 'n'),
      firstSeen: int(r, 'first'),
      lastSeen: int(r, 'last'),
      personas: textList(r, 'personas').sort(),
    }));
}
