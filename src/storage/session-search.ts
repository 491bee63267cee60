// Session search for the query API: filters by persona, device, source, protocol, credential and
// command text, newest first, with a keyset cursor so pages stay stable while sessions are added.
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { Protocol } from '../core/events.ts';
import type { Row } from './sql-row.ts';

export interface SessionSearch {
  readonly persona?: string;
  /** A real device's name (sessions relayed to it: mode real). */
  readonly device?: string;
  readonly source?: string;
  readonly protocol?: Protocol;
  /** Sessions where this username / password was tried (any attempt, exact match). */
  readonly username?: string;
  readonly password?: string;
  /** Sessions with a command line containing this text (case-sensitive substring). */
  readonly command?: string;
  /** Start time bounds (ms): since inclusive, until exclusive. */
  readonly since?: number;
  readonly until?: number;
  /** Continue after this (start, id) position of an earlier page. */
  readonly after?: { readonly start: number; readonly id: string };
  readonly limit: number;
}

/** `%`, `_` and the escape character itself match literally in a LIKE pattern using ESCAPE '\'. */
export function likeContaining(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Rows of the sessions table, newest first; at most `limit`. Every value is a bound parameter. */
export function searchSessionRows(db: DatabaseSync, q: SessionSearch): Row[] {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  const add = (sql: string, ...values: SQLInputValue[]): void => {
    where.push(sql);
    params.push(...values);
  };
  if (q.persona !== undefined) add('s.persona = ?', q.persona);
  if (q.device !== undefined) add("s.persona = ? AND s.mode = 'real'", q.device);
  if (q.source !== undefined) add('s.src_ip = ?', q.source);
  if (q.protocol !== undefined) add('s.protocol = ?', q.protocol);
  if (q.since !== undefined) add('s.start_ts >= ?', q.since);
  if (q.until !== undefined) add('s.start_ts < ?', q.until);
  if (q.username !== undefined) {
    add("EXISTS (SELECT 1 FROM events e WHERE e.session = s.id AND e.type = 'auth.attempt' AND json_extract(e.data, '$.username') = ?)", q.username);
  }
  if (q.password !== undefined) {
    add("EXISTS (SELECT 1 FROM events e WHERE e.session = s.id AND e.type = 'auth.attempt' AND json_extract(e.data, '$.password') = ?)", q.password);
  }
  if (q.command !== undefined) {
    // LIKE is case-insensitive for ASCII by default; instr() keeps the match exact, LIKE only narrows.
    add(
      "EXISTS (SELECT 1 FROM events e WHERE e.session = s.id AND e.type = 'command.input' AND json_extract(e.data, '$.line') LIKE ? ESCAPE '\\' AND instr(json_extract(e.data, '$.line'), ?) > 0)",
      likeContaining(q.command),
      q.command,
    );
  }
  if (q.after !== undefined) add('(s.start_ts < ? OR (s.start_ts = ? AND s.id < ?))', q.after.start, q.after.start, q.after.id);
  const sql = `SELECT s.* FROM sessions s ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.start_ts DESC, s.id DESC LIMIT ?`;
  return db.prepare(sql).all(...params, q.limit);
}
