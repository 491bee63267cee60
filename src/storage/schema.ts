// The embedded store's schema as numbered migrations, applied once each and recorded in
// `schema_migrations`. Shared by the SQLite sink (writer) and the query side (reader).
import { DatabaseSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HachiError } from '../core/errors.ts';
import { backfillSql } from './rollup-keys.ts';

/** The store's file name inside the data directory. */
export const STORE_FILE = 'hachi.db';

export function storePath(dataDir: string): string {
  return join(dataDir, STORE_FILE);
}

export interface Migration {
  readonly version: number;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE events (
        id TEXT PRIMARY KEY, ts INTEGER NOT NULL, type TEXT NOT NULL, schema INTEGER NOT NULL, sensor TEXT NOT NULL,
        session TEXT, protocol TEXT, mode TEXT, persona TEXT,
        src_ip TEXT, src_port INTEGER, dst_ip TEXT, dst_port INTEGER, data TEXT NOT NULL
      );
      CREATE INDEX events_by_session ON events (session, id);
      CREATE INDEX events_by_type_ts ON events (type, ts);
      CREATE INDEX events_by_ts ON events (ts);
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY, protocol TEXT NOT NULL, mode TEXT NOT NULL, persona TEXT NOT NULL,
        src_ip TEXT NOT NULL, src_port INTEGER NOT NULL, dst_ip TEXT NOT NULL, dst_port INTEGER NOT NULL,
        start_ts INTEGER NOT NULL, end_ts INTEGER,
        login_success INTEGER, username TEXT, password TEXT,
        auth_attempts INTEGER NOT NULL DEFAULT 0, command_count INTEGER NOT NULL DEFAULT 0,
        close_reason TEXT, duration_ms INTEGER, bytes_in INTEGER, bytes_out INTEGER
      );
      CREATE INDEX sessions_by_start ON sessions (start_ts);
      CREATE TABLE artifacts (
        sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, count INTEGER NOT NULL
      );
      CREATE INDEX artifacts_by_last_seen ON artifacts (last_seen);
      CREATE TABLE artifact_sightings (
        event_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, session TEXT NOT NULL, persona TEXT NOT NULL,
        path TEXT NOT NULL, ts INTEGER NOT NULL, source_url TEXT
      );
      CREATE INDEX artifact_sightings_by_sha ON artifact_sightings (sha256, ts);
      CREATE TABLE downloads (
        event_id TEXT PRIMARY KEY, session TEXT NOT NULL, persona TEXT NOT NULL, src_ip TEXT NOT NULL, ts INTEGER NOT NULL,
        tool TEXT NOT NULL, url TEXT NOT NULL, output_path TEXT
      );
      CREATE INDEX downloads_by_session ON downloads (session, output_path);
    `,
  },
  {
    // Fetches hachi made for the URLs bots named, and which payload named which (dropper links).
    version: 2,
    sql: `
      CREATE TABLE fetches (
        event_id TEXT PRIMARY KEY, session TEXT NOT NULL, persona TEXT NOT NULL, sensor TEXT NOT NULL, src_ip TEXT NOT NULL, ts INTEGER NOT NULL,
        tool TEXT NOT NULL, url TEXT NOT NULL, final_url TEXT NOT NULL, outcome TEXT NOT NULL, status TEXT, bytes INTEGER NOT NULL,
        sha256 TEXT, address TEXT, duration_ms INTEGER NOT NULL, parent TEXT, depth INTEGER NOT NULL
      );
      CREATE INDEX fetches_by_sha ON fetches (sha256, ts);
      CREATE INDEX fetches_by_session ON fetches (session, ts);
      CREATE INDEX fetches_by_outcome_ts ON fetches (outcome, ts);
      CREATE TABLE artifact_links (parent TEXT NOT NULL, child TEXT NOT NULL, url TEXT NOT NULL, first_seen INTEGER NOT NULL, PRIMARY KEY (parent, child, url));
      CREATE INDEX artifact_links_by_child ON artifact_links (child);
    `,
  },
  {
    // Static analysis results per sample, rolled up from the analysis.* events.
    version: 3,
    sql: `
      CREATE TABLE analyses (
        sha256 TEXT PRIMARY KEY, analysed_at INTEGER NOT NULL, size INTEGER NOT NULL, kind TEXT NOT NULL, description TEXT NOT NULL,
        arch TEXT, machine TEXT, upx INTEGER NOT NULL DEFAULT 0, tlsh TEXT, inner_sha256 TEXT, family TEXT, variant TEXT, report TEXT NOT NULL
      );
      CREATE INDEX analyses_by_family ON analyses (family);
      CREATE INDEX analyses_by_arch ON analyses (arch);
      CREATE TABLE sample_families (
        sha256 TEXT NOT NULL, rule TEXT NOT NULL, family TEXT NOT NULL, variant TEXT, engine TEXT NOT NULL, evidence TEXT NOT NULL, ts INTEGER NOT NULL,
        PRIMARY KEY (sha256, rule)
      );
      CREATE INDEX sample_families_by_family ON sample_families (family);
      CREATE TABLE sample_indicators (sha256 TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (sha256, kind, value));
      CREATE INDEX sample_indicators_by_value ON sample_indicators (kind, value);
      CREATE TABLE mirai_configs (
        sha256 TEXT PRIMARY KEY, xor_key INTEGER NOT NULL, cnc_domain TEXT, cnc_port INTEGER, report_domain TEXT, report_port INTEGER, data TEXT NOT NULL
      );
      ALTER TABLE artifacts ADD COLUMN evicted_at INTEGER;
    `,
  },
  {
    // Hourly rollups the overview reads instead of scanning events (maintained by the SQLite sink,
    // backfilled here from the events already stored), and indexes for session search.
    version: 4,
    sql: `
      CREATE TABLE rollup_sessions (
        hour INTEGER NOT NULL, protocol TEXT NOT NULL, mode TEXT NOT NULL, persona TEXT NOT NULL, sessions INTEGER NOT NULL,
        PRIMARY KEY (hour, protocol, mode, persona)
      ) WITHOUT ROWID;
      CREATE TABLE rollup_hourly (
        hour INTEGER PRIMARY KEY, logins_ok INTEGER NOT NULL DEFAULT 0, logins_failed INTEGER NOT NULL DEFAULT 0, commands INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE rollup_top (
        kind TEXT NOT NULL, hour INTEGER NOT NULL, k1 TEXT NOT NULL, k2 TEXT NOT NULL, n INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
        PRIMARY KEY (kind, hour, k1, k2)
      ) WITHOUT ROWID;
      CREATE INDEX artifacts_by_first_seen ON artifacts (first_seen);
      CREATE INDEX sessions_by_src ON sessions (src_ip, start_ts);
      -- Session search by credential probes each session's auth attempts; without these it scans every attempt.
      CREATE INDEX events_auth_username ON events (json_extract(data, '$.username'), session) WHERE type = 'auth.attempt';
      CREATE INDEX events_auth_password ON events (json_extract(data, '$.password'), session) WHERE type = 'auth.attempt';
      ${backfillSql}
    `,
  },
];

/** Applies the migrations not yet recorded, each in its own transaction. Returns the schema version. */
export function migrate(db: DatabaseSync, list: readonly Migration[] = migrations): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = db.prepare('SELECT 1 AS ok FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  let version = 0;
  for (const m of [...list].sort((a, b) => a.version - b.version)) {
    // IMMEDIATE takes the write lock first, so a reader migrating alongside the sink cannot race it.
    db.exec('BEGIN IMMEDIATE');
    try {
      if (!applied.get(m.version)) {
        db.exec(m.sql);
        record.run(m.version, Date.now());
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw new HachiError('HACHI_ERR_STORE', `migration ${m.version} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    version = m.version;
  }
  return version;
}

/** Opens (creating if needed) the store with WAL and the migrations applied. */
export function openDatabase(path: string, synchronous: 'NORMAL' | 'FULL' = 'NORMAL'): DatabaseSync {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const db = new DatabaseSync(path, { timeout: 5000 });
    db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${synchronous === 'FULL' ? 'FULL' : 'NORMAL'}; PRAGMA foreign_keys = ON;`);
    migrate(db);
    return db;
  } catch (error) {
    if (error instanceof HachiError) throw error;
    throw new HachiError('HACHI_ERR_STORE', `cannot open the store ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
