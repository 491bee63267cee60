// The dashboard overview for a time range, answered from the hourly rollups (never a scan of events):
// counters, sessions over time by protocol and persona, top credentials, commands and sources, newest samples.
import type { DatabaseSync } from 'node:sqlite';
import { int, text } from './sql-row.ts';
import type { Row } from './sql-row.ts';
import { DAY_MS, HOUR_MS, hourOf } from './rollup-keys.ts';

export interface OverviewQuery {
  /** Start of the range (ms), widened down to its hour: rollups are hourly. */
  readonly since: number;
  /** End of the range (ms, exclusive), widened up to the next hour. */
  readonly until: number;
}

export interface OverviewCounters {
  readonly sessions: number;
  readonly loginsOk: number;
  readonly loginsFailed: number;
  readonly commands: number;
  /** Samples first seen in the range. */
  readonly samples: number;
  readonly exploits: number;
}

export interface SeriesPoint {
  /** Bucket start (ms). */
  readonly bucket: number;
  readonly key: string;
  readonly sessions: number;
}

export interface TopEntry {
  readonly count: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
}

export interface Overview {
  /** The range actually covered, in whole hours. */
  readonly since: number;
  readonly until: number;
  /** Hourly, or daily when the range is longer than 7 days. */
  readonly bucketMs: number;
  readonly counters: OverviewCounters;
  /** Sparse: buckets without sessions are absent. */
  readonly sessionsByProtocol: readonly SeriesPoint[];
  readonly sessionsByPersona: readonly SeriesPoint[];
  readonly topCredentials: readonly (TopEntry & { readonly username: string; readonly password: string })[];
  readonly topCommands: readonly (TopEntry & { readonly command: string })[];
  /** count = sessions from that address. */
  readonly topSources: readonly (TopEntry & { readonly ip: string })[];
  readonly newestSamples: readonly { readonly sha256: string; readonly size: number; readonly firstSeen: number; readonly count: number }[];
}

const TOP = 10;

export type OverviewReader = (query: OverviewQuery) => Overview;

/** Prepares the overview's statements once per store. */
export function createOverviewReader(db: DatabaseSync): OverviewReader {
  const series = (column: 'protocol' | 'persona') =>
    db.prepare(
      `SELECT (hour / CAST(?1 AS INTEGER)) * CAST(?1 AS INTEGER) AS bucket, ${column} AS key, sum(sessions) AS n FROM rollup_sessions
       WHERE hour >= ?2 AND hour < ?3 GROUP BY bucket, key ORDER BY bucket, key`,
    );
  const byProtocol = series('protocol');
  const byPersona = series('persona');
  const hourly = db.prepare(
    `SELECT coalesce(sum(logins_ok), 0) AS ok, coalesce(sum(logins_failed), 0) AS failed, coalesce(sum(commands), 0) AS commands
     FROM rollup_hourly WHERE hour >= ? AND hour < ?`,
  );
  const sessions = db.prepare('SELECT coalesce(sum(sessions), 0) AS n FROM rollup_sessions WHERE hour >= ? AND hour < ?');
  const exploits = db.prepare("SELECT coalesce(sum(n), 0) AS n FROM rollup_top WHERE kind = 'exploit' AND hour >= ? AND hour < ?");
  const samples = db.prepare('SELECT count(*) AS n FROM artifacts WHERE first_seen >= ? AND first_seen < ?');
  const top = db.prepare(
    `SELECT k1, k2, sum(n) AS n, min(first_seen) AS first, max(last_seen) AS last FROM rollup_top
     WHERE kind = ? AND hour >= ? AND hour < ? GROUP BY k1, k2 ORDER BY n DESC, last DESC, k1, k2 LIMIT ${TOP}`,
  );
  const newest = db.prepare(
    `SELECT sha256, size, first_seen, count FROM artifacts WHERE first_seen >= ? AND first_seen < ? ORDER BY first_seen DESC, sha256 LIMIT ${TOP}`,
  );
  const point = (r: Row): SeriesPoint => ({ bucket: int(r, 'bucket'), key: text(r, 'key'), sessions: int(r, 'n') });
  const topOf = (kind: string, since: number, until: number) =>
    top.all(kind, since, until).map((r) => ({ k1: text(r, 'k1'), k2: text(r, 'k2'), count: int(r, 'n'), firstSeen: int(r, 'first'), lastSeen: int(r, 'last') }));
  return ({ since: rawSince, until: rawUntil }) => {
    const since = hourOf(rawSince);
    const until = Math.max(since, hourOf(rawUntil + HOUR_MS - 1));
    const bucketMs = until - since > 7 * DAY_MS ? DAY_MS : HOUR_MS;
    const h = hourly.get(since, until);
    return {
      since,
      until,
      bucketMs,
      counters: {
        sessions: int(sessions.get(since, until) ?? {}, 'n'),
        loginsOk: h ? int(h, 'ok') : 0,
        loginsFailed: h ? int(h, 'failed') : 0,
        commands: h ? int(h, 'commands') : 0,
        samples: int(samples.get(since, until) ?? {}, 'n'),
        exploits: int(exploits.get(since, until) ?? {}, 'n'),
      },
      sessionsByProtocol: byProtocol.all(bucketMs, since, until).map(point),
      sessionsByPersona: byPersona.all(bucketMs, since, until).map(point),
      topCredentials: topOf('credential', since, until).map(({ k1, k2, ...t }) => ({ username: k1, password: k2, ...t })),
      topCommands: topOf('command', since, until).map(({ k1, ...t }) => ({ command: k1, count: t.count, firstSeen: t.firstSeen, lastSeen: t.lastSeen })),
      topSources: topOf('source', since, until).map(({ k1, ...t }) => ({ ip: k1, count: t.count, firstSeen: t.firstSeen, lastSeen: t.lastSeen })),
      newestSamples: newest.all(since, until).map((r) => ({ sha256: text(r, 'sha256'), size: int(r, 'size'), firstSeen: int(r, 'first_seen'), count: int(r, 'count') })),
    };
  };
}
