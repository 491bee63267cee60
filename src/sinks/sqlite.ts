// The embedded SQLite store as a sink (node:sqlite, WAL): one transaction per batch with prepared statements;
// rolls sessions, artifacts, downloads and the overview's hourly rollups up from the events. A resolved write is durable.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { HachiEvent, SensorEvent, SessionEvent } from '../core/events.ts';
import { isSessionEvent } from '../core/events.ts';
import type { EventSink } from '../core/ports.ts';
import { openDatabase, storePath } from '../storage/schema.ts';
import type { SinkContext } from './sink-factory.ts';
import { prepareRollups } from './sqlite-rollups.ts';

export interface SqliteSinkConfig {
  /** NORMAL survives a process crash (kill -9); FULL also survives power loss, at a cost. */
  readonly synchronous?: 'NORMAL' | 'FULL';
}

type Statements = Record<'event' | 'connect' | 'auth' | 'command' | 'close' | 'artifact' | 'sighting' | 'download' | 'fetch' | 'fetchSighting' | 'link' | 'analysis' | 'forgetFamilies' | 'forgetIndicators' | 'forgetMirai' | 'family' | 'familyOfSample' | 'indicator' | 'mirai' | 'evicted', StatementSync>;

const SESSION_COLUMNS = 'id, protocol, mode, persona, src_ip, src_port, dst_ip, dst_port, start_ts';
const SESSION_VALUES = '?, ?, ?, ?, ?, ?, ?, ?, ?';
const KEEP_EARLIEST = 'start_ts = min(start_ts, excluded.start_ts)';

function prepare(db: DatabaseSync): Statements {
  return {
    event: db.prepare(
      `INSERT OR IGNORE INTO events (id, ts, type, schema, sensor, session, protocol, mode, persona, src_ip, src_port, dst_ip, dst_port, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    connect: db.prepare(`INSERT INTO sessions (${SESSION_COLUMNS}) VALUES (${SESSION_VALUES}) ON CONFLICT (id) DO UPDATE SET ${KEEP_EARLIEST}`),
    // In DO UPDATE every expression sees the row as it was, so a success is never overwritten by a later failure.
    auth: db.prepare(
      `INSERT INTO sessions (${SESSION_COLUMNS}, auth_attempts, login_success, username, password) VALUES (${SESSION_VALUES}, 1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET ${KEEP_EARLIEST}, auth_attempts = auth_attempts + 1,
         login_success = CASE WHEN login_success = 1 THEN 1 ELSE excluded.login_success END,
         username = CASE WHEN login_success = 1 THEN username ELSE excluded.username END,
         password = CASE WHEN login_success = 1 THEN password ELSE excluded.password END`,
    ),
    command: db.prepare(
      `INSERT INTO sessions (${SESSION_COLUMNS}, command_count) VALUES (${SESSION_VALUES}, ?)
       ON CONFLICT (id) DO UPDATE SET ${KEEP_EARLIEST}, command_count = command_count + excluded.command_count`,
    ),
    close: db.prepare(
      `INSERT INTO sessions (${SESSION_COLUMNS}, end_ts, close_reason, duration_ms, bytes_in, bytes_out) VALUES (${SESSION_VALUES}, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET ${KEEP_EARLIEST}, end_ts = excluded.end_ts, close_reason = excluded.close_reason,
         duration_ms = excluded.duration_ms, bytes_in = excluded.bytes_in, bytes_out = excluded.bytes_out`,
    ),
    artifact: db.prepare(
      `INSERT INTO artifacts (sha256, size, first_seen, last_seen, count) VALUES (?, ?, ?, ?, 1)
       ON CONFLICT (sha256) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen), count = count + 1`,
    ),
    // The source URL is known when the same session named this path as a download's output.
    sighting: db.prepare(
      `INSERT OR IGNORE INTO artifact_sightings (event_id, sha256, session, persona, path, ts, source_url)
       VALUES (?, ?, ?, ?, ?, ?, (SELECT url FROM downloads WHERE session = ? AND output_path = ? ORDER BY ts DESC LIMIT 1))`,
    ),
    download: db.prepare(
      'INSERT OR IGNORE INTO downloads (event_id, session, persona, src_ip, ts, tool, url, output_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    fetch: db.prepare(
      `INSERT OR IGNORE INTO fetches (event_id, session, persona, sensor, src_ip, ts, tool, url, final_url, outcome, status, bytes, sha256, address, duration_ms, parent, depth)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    fetchSighting: db.prepare(
      'INSERT OR IGNORE INTO artifact_sightings (event_id, sha256, session, persona, path, ts, source_url) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    link: db.prepare('INSERT OR IGNORE INTO artifact_links (parent, child, url, first_seen) VALUES (?, ?, ?, ?)'),
    // A new analysis replaces the old one; the family is set again by the analysis.family events that follow.
    analysis: db.prepare(
      `INSERT INTO analyses (sha256, analysed_at, size, kind, description, arch, machine, upx, tlsh, inner_sha256, family, variant, report)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)
       ON CONFLICT (sha256) DO UPDATE SET analysed_at = excluded.analysed_at, size = excluded.size, kind = excluded.kind, description = excluded.description,
         arch = excluded.arch, machine = excluded.machine, upx = excluded.upx, tlsh = excluded.tlsh, inner_sha256 = excluded.inner_sha256,
         family = NULL, variant = NULL, report = excluded.report`,
    ),
    forgetFamilies: db.prepare('DELETE FROM sample_families WHERE sha256 = ?'),
    forgetIndicators: db.prepare('DELETE FROM sample_indicators WHERE sha256 = ?'),
    forgetMirai: db.prepare('DELETE FROM mirai_configs WHERE sha256 = ?'),
    family: db.prepare(
      'INSERT OR REPLACE INTO sample_families (sha256, rule, family, variant, engine, evidence, ts) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    // The first family named wins; a later match of the same family may add its variant.
    familyOfSample: db.prepare(
      `UPDATE analyses SET variant = CASE WHEN family IS NULL OR (family = ?1 AND variant IS NULL) THEN ?2 ELSE variant END,
         family = coalesce(family, ?1) WHERE sha256 = ?3`,
    ),
    indicator: db.prepare('INSERT OR IGNORE INTO sample_indicators (sha256, kind, value) VALUES (?, ?, ?)'),
    mirai: db.prepare(
      'INSERT OR REPLACE INTO mirai_configs (sha256, xor_key, cnc_domain, cnc_port, report_domain, report_port, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    evicted: db.prepare('UPDATE artifacts SET evicted_at = ? WHERE sha256 = ?'),
  };
}

function sessionKey(e: SessionEvent): [string, string, string, string, string, number, string, number, number] {
  return [e.session, e.protocol, e.mode, e.persona, e.src.ip, e.src.port, e.dst.ip, e.dst.port, e.ts];
}

/** Commands are most of the events, so they are counted per session in the batch and upserted once. */
type CommandCounts = Map<string, { first: SessionEvent; count: number }>;

function rollUp(s: Statements, e: SessionEvent, commands: CommandCounts): void {
  switch (e.type) {
    case 'session.connect':
      s.connect.run(...sessionKey(e));
      break;
    case 'auth.attempt':
      s.auth.run(...sessionKey(e), e.data.success ? 1 : 0, e.data.username, e.data.password);
      break;
    case 'command.input': {
      const seen = commands.get(e.session);
      if (seen) seen.count += 1;
      else commands.set(e.session, { first: e, count: 1 });
      break;
    }
    case 'session.close':
      s.close.run(...sessionKey(e), e.ts, e.data.reason, e.data.durationMs, e.data.bytesIn, e.data.bytesOut);
      break;
    case 'file.write':
      s.artifact.run(e.data.sha256, e.data.size, e.ts, e.ts);
      s.sighting.run(e.id, e.data.sha256, e.session, e.persona, e.data.path, e.ts, e.session, e.data.path);
      break;
    case 'download.attempt':
      s.download.run(e.id, e.session, e.persona, e.src.ip, e.ts, e.data.tool, e.data.url, e.data.outputPath);
      break;
    case 'download.fetch': {
      const d = e.data;
      s.fetch.run(e.id, e.session, e.persona, e.sensor, e.src.ip, e.ts, d.tool, d.url, d.finalUrl, d.outcome, d.status, d.bytes, d.sha256, d.address, d.durationMs, d.parent, d.depth);
      if (d.sha256 !== null) {
        s.artifact.run(d.sha256, d.bytes, e.ts, e.ts);
        s.fetchSighting.run(e.id, d.sha256, e.session, e.persona, '', e.ts, d.url);
        if (d.parent !== null) s.link.run(d.parent, d.sha256, d.url, e.ts);
      }
      break;
    }
    default:
      break;
  }
}

const indicatorKinds = ['ipv4', 'ipv6', 'domains', 'urls', 'hostPorts', 'userAgents'] as const;

/** Sample analysis and store housekeeping, which belong to no session. */
function rollUpSensor(s: Statements, e: SensorEvent): void {
  switch (e.type) {
    case 'analysis.file': {
      const d = e.data;
      // A new analysis replaces the old one whole: its family, indicator and Mirai events follow.
      s.forgetFamilies.run(d.sha256);
      s.forgetIndicators.run(d.sha256);
      s.forgetMirai.run(d.sha256);
      s.analysis.run(d.sha256, e.ts, d.size, d.kind, d.description, d.arch, d.machine, d.upx === null ? 0 : 1, d.tlsh, d.inner, JSON.stringify(d));
      break;
    }
    case 'analysis.family':
      s.family.run(e.data.sha256, e.data.rule, e.data.family, e.data.variant, e.data.engine, JSON.stringify(e.data.evidence), e.ts);
      s.familyOfSample.run(e.data.family, e.data.variant, e.data.sha256);
      break;
    case 'analysis.indicators':
      for (const kind of indicatorKinds) for (const value of e.data[kind]) s.indicator.run(e.data.sha256, kind, value);
      for (const c of e.data.credentials) s.indicator.run(e.data.sha256, 'credential', `${c.username}:${c.password}`);
      break;
    case 'analysis.mirai':
      s.mirai.run(e.data.sha256, e.data.key, e.data.cnc.domain, e.data.cnc.port, e.data.scanCallback.domain, e.data.scanCallback.port, JSON.stringify(e.data));
      break;
    case 'artifact.evicted':
      s.evicted.run(e.ts, e.data.sha256);
      break;
    default:
      break;
  }
}

function insertEvent(s: Statements, e: HachiEvent): boolean {
  const data = JSON.stringify(e.data);
  const result = isSessionEvent(e)
    ? s.event.run(e.id, e.ts, e.type, e.schema, e.sensor, e.session, e.protocol, e.mode, e.persona, e.src.ip, e.src.port, e.dst.ip, e.dst.port, data)
    : s.event.run(e.id, e.ts, e.type, e.schema, e.sensor, null, null, null, null, null, null, null, null, data);
  return result.changes > 0;
}

export function openSqliteSink(config: SqliteSinkConfig, context: SinkContext): Promise<EventSink> {
  return Promise.resolve().then(() => {
    const db = openDatabase(storePath(context.dataDir), config.synchronous ?? 'NORMAL');
    const statements = prepare(db);
    const newRollups = prepareRollups(db);
    let closed = false;
    return {
      name: 'sqlite',
      async write(batch) {
        if (closed) throw new Error('sqlite sink is closed');
        if (batch.length === 0) return;
        db.exec('BEGIN');
        try {
          const commands: CommandCounts = new Map();
          const rollups = newRollups();
          for (const e of batch) {
            // A replayed event (spool after a crash) is ignored, so rollups are never counted twice.
            if (!insertEvent(statements, e)) continue;
            if (isSessionEvent(e)) {
              rollUp(statements, e, commands);
              rollups.add(e);
            }
            else rollUpSensor(statements, e);
          }
          for (const { first, count } of commands.values()) statements.command.run(...sessionKey(first), count);
          rollups.flush();
          db.exec('COMMIT');
        } catch (error) {
          if (db.isTransaction) db.exec('ROLLBACK');
          throw error;
        }
      },
      async close() {
        if (closed) return;
        closed = true;
        db.close();
      },
    };
  });
}
