// How events map to rollup rows (hour buckets, capped keys, command normalisation), shared by the
// SQLite sink that maintains the rollups and the migration that backfills them, so both agree.

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Attacker strings kept as rollup keys are capped (in code points, as SQLite's substr counts). */
export const KEY_CHARS = 200;

/** Start (ms) of the hour holding `ts`. */
export function hourOf(ts: number): number {
  return Math.floor(ts / HOUR_MS) * HOUR_MS;
}

/** Caps a key to KEY_CHARS code points; the common short case costs one length check. */
export function capKey(value: string): string {
  if (value.length <= KEY_CHARS) return value;
  return Array.from(value).slice(0, KEY_CHARS).join('');
}

const EDGE_SPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/** A command line as counted: outer blanks dropped (tab, CR, LF, space, as the SQL backfill does), capped. */
export function normaliseCommand(line: string): string {
  return capKey(line.replace(EDGE_SPACE, ''));
}

/** The kinds of keyed hourly counters in `rollup_top`. */
export type TopKind = 'credential' | 'command' | 'source' | 'exploit';

// The same mapping in SQL, for backfilling a store written before the rollups existed.
const HOUR_SQL = `(ts / ${HOUR_MS}) * ${HOUR_MS}`;
const CAP = (expr: string): string => `substr(${expr}, 1, ${KEY_CHARS})`;
const TRIMMED = `trim(json_extract(data, '$.line'), char(9, 10, 13, 32))`;

export const backfillSql = `
  INSERT INTO rollup_sessions (hour, protocol, mode, persona, sessions)
    SELECT ${HOUR_SQL}, protocol, mode, persona, count(*) FROM events WHERE type = 'session.connect' GROUP BY 1, 2, 3, 4;
  INSERT INTO rollup_hourly (hour, logins_ok, logins_failed, commands)
    SELECT ${HOUR_SQL}, sum(type = 'auth.attempt' AND json_extract(data, '$.success') = 1),
           sum(type = 'auth.attempt' AND json_extract(data, '$.success') = 0), sum(type = 'command.input')
    FROM events WHERE type IN ('auth.attempt', 'command.input') GROUP BY 1;
  INSERT INTO rollup_top (kind, hour, k1, k2, n, first_seen, last_seen)
    SELECT 'credential', ${HOUR_SQL}, ${CAP("json_extract(data, '$.username')")}, ${CAP("json_extract(data, '$.password')")}, count(*), min(ts), max(ts)
    FROM events WHERE type = 'auth.attempt' GROUP BY 2, 3, 4;
  INSERT INTO rollup_top (kind, hour, k1, k2, n, first_seen, last_seen)
    SELECT 'command', ${HOUR_SQL}, ${CAP(TRIMMED)}, '', count(*), min(ts), max(ts) FROM events WHERE type = 'command.input' GROUP BY 2, 3;
  INSERT INTO rollup_top (kind, hour, k1, k2, n, first_seen, last_seen)
    SELECT 'source', ${HOUR_SQL}, src_ip, '', count(*), min(ts), max(ts) FROM events WHERE type = 'session.connect' GROUP BY 2, 3;
  INSERT INTO rollup_top (kind, hour, k1, k2, n, first_seen, last_seen)
    SELECT 'exploit', ${HOUR_SQL}, ${CAP("json_extract(data, '$.signature')")}, '', count(*), min(ts), max(ts) FROM events WHERE type = 'exploit.detected' GROUP BY 2, 3;
`;
