// The query side over the embedded store: what the CLI, API and reports read. Every value reaches
// SQL as a bound parameter; filters only choose among fixed SQL fragments.
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { CloseReason, Endpoint, HachiEvent, Mode, Protocol } from '../core/events.ts';
import { openDatabase, storePath } from './schema.ts';
import { int, intOrNull, text, textOrNull } from './sql-row.ts';
import type { Row } from './sql-row.ts';
import { createSampleListQueries, type SampleListQueries } from './sample-list.ts';
import { sampleDetail, type SampleDetail } from './sample-detail.ts';
import { listDeviceSummaries, type DeviceSummary } from './device-summary.ts';
import { createOverviewReader, type Overview, type OverviewQuery } from './overview.ts';
import { listExploitCandidates, listExploitDetections, type ExploitCandidateCluster, type ExploitDetectionSummary, type ExploitQuery } from './exploit-summary.ts';
import { searchSessionRows, type SessionSearch } from './session-search.ts';
import { listSourceSummaries, type SourceQuery, type SourceSummary } from './source-summary.ts';
import { findRecording, readRecording, type RecordingInfo, type RecordingText } from './session-recording.ts';

export type { Sample, SampleDigestRow, SampleQuery } from './sample-list.ts';
export type { SampleDetail } from './sample-detail.ts';
export type { Overview, OverviewQuery } from './overview.ts';
export type { SessionSearch } from './session-search.ts';
export type { SourceQuery, SourceSummary } from './source-summary.ts';
export type { RecordingInfo, RecordingText } from './session-recording.ts';

export interface SessionSummary {
  readonly id: string;
  readonly protocol: Protocol;
  readonly mode: Mode;
  readonly persona: string;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly start: number;
  readonly end: number | null;
  /** null when no login was attempted. */
  readonly loginSuccess: boolean | null;
  /** The accepted credential, or the last one tried. */
  readonly username: string | null;
  readonly password: string | null;
  readonly authAttempts: number;
  readonly commandCount: number;
  readonly closeReason: CloseReason | null;
  readonly durationMs: number | null;
  readonly bytesIn: number | null;
  readonly bytesOut: number | null;
}

export interface SessionQuery {
  readonly limit?: number;
  /** Sessions that started at or after this time (ms). */
  readonly since?: number;
  readonly persona?: string;
  /** Source IP address. */
  readonly source?: string;
}

export interface EventQuery {
  readonly session?: string;
  readonly type?: string;
  readonly limit?: number;
  readonly since?: number;
  /** Only events with an id greater than this one (the next page after it). */
  readonly after?: string;
}

export interface Store extends SampleListQueries {
  /** Newest first. */
  listSessions(query?: SessionQuery): SessionSummary[];
  getSession(id: string): SessionSummary | null;
  /** Filtered sessions, newest first, continuing after a cursor (the query API). */
  searchSessions(query: SessionSearch): SessionSummary[];
  /** Source addresses by session count. */
  listSources(query: SourceQuery): SourceSummary[];
  /** The session's recording as its session.recording event describes it, or null. */
  getRecording(sessionId: string): RecordingInfo | null;
  /** The recording's text, at most `maxBytes` (cut at a line end), or null when there is no file. */
  readRecording(sessionId: string, maxBytes: number): Promise<RecordingText | null>;
  /** Ordered by id (emission order). */
  listEvents(query?: EventQuery): HachiEvent[];
  /** Where one sample was seen, its links, fetches and analysis (the sample itself: getSample). */
  getSampleDetail(sha256: string): SampleDetail;
  /** Real devices behind the relay: sessions, last health report, last reset. */
  listDevices(): DeviceSummary[];
  /** HTTP exploit detections grouped by signature, most frequent first. */
  listExploitDetections(query?: ExploitQuery): ExploitDetectionSummary[];
  /** Unmatched attack-like requests clustered by shape, most sources first. */
  listExploitCandidates(query?: ExploitQuery): ExploitCandidateCluster[];
  /** Dashboard aggregates for a time range, from the hourly rollups (whole hours). */
  overview(query: OverviewQuery): Overview;
  close(): void;
}

const MAX_LIMIT = 100_000;

function limitOf(value: number | undefined, fallback: number): number {
  return Number.isSafeInteger(value) && value !== undefined && value > 0 ? Math.min(value, MAX_LIMIT) : fallback;
}

/** Builds a WHERE clause from fixed SQL fragments whose values are given; values stay parameters. */
function whereOf(filters: readonly (readonly [string, SQLInputValue | undefined])[]): { clause: string; params: SQLInputValue[] } {
  const used = filters.filter((f): f is readonly [string, SQLInputValue] => f[1] !== undefined);
  return { clause: used.length ? `WHERE ${used.map((f) => f[0]).join(' AND ')}` : '', params: used.map((f) => f[1]) };
}

function toSession(r: Row): SessionSummary {
  const success = intOrNull(r, 'login_success');
  return {
    id: text(r, 'id'),
    protocol: text(r, 'protocol') as Protocol,
    mode: text(r, 'mode') as Mode,
    persona: text(r, 'persona'),
    src: { ip: text(r, 'src_ip'), port: int(r, 'src_port') },
    dst: { ip: text(r, 'dst_ip'), port: int(r, 'dst_port') },
    start: int(r, 'start_ts'),
    end: intOrNull(r, 'end_ts'),
    loginSuccess: success === null ? null : success === 1,
    username: textOrNull(r, 'username'),
    password: textOrNull(r, 'password'),
    authAttempts: int(r, 'auth_attempts'),
    commandCount: int(r, 'command_count'),
    closeReason: textOrNull(r, 'close_reason') as CloseReason | null,
    durationMs: intOrNull(r, 'duration_ms'),
    bytesIn: intOrNull(r, 'bytes_in'),
    bytesOut: intOrNull(r, 'bytes_out'),
  };
}

/** Rebuilds the event exactly as published (the sink stores the envelope as columns, the payload as JSON). */
function toEvent(r: Row): HachiEvent {
  const base = { id: text(r, 'id'), type: text(r, 'type'), ts: int(r, 'ts'), schema: int(r, 'schema'), sensor: text(r, 'sensor'), data: JSON.parse(text(r, 'data')) as unknown };
  const session = textOrNull(r, 'session');
  if (session === null) return base as HachiEvent;
  return {
    ...base,
    session,
    protocol: text(r, 'protocol'),
    mode: text(r, 'mode'),
    persona: text(r, 'persona'),
    src: { ip: text(r, 'src_ip'), port: int(r, 'src_port') },
    dst: { ip: text(r, 'dst_ip'), port: int(r, 'dst_port') },
  } as HachiEvent;
}

/** Opens the store in `dataDir` (creating an empty one if none exists yet). */
export function openStore(dataDir: string): Store {
  const db: DatabaseSync = openDatabase(storePath(dataDir));
  return {
    listSessions(query = {}) {
      const { clause, params } = whereOf([
        ['start_ts >= ?', query.since],
        ['persona = ?', query.persona],
        ['src_ip = ?', query.source],
      ]);
      const sql = `SELECT * FROM sessions ${clause} ORDER BY start_ts DESC, id DESC LIMIT ?`;
      return db.prepare(sql).all(...params, limitOf(query.limit, 50)).map(toSession);
    },
    getSession(id) {
      const row = db.prepare('SELECT * FROM sessions WHERE id = ?').get(id);
      return row ? toSession(row) : null;
    },
    searchSessions: (query) => searchSessionRows(db, query).map(toSession),
    listSources: (query) => listSourceSummaries(db, query),
    getRecording: (sessionId) => findRecording(db, sessionId),
    readRecording: (sessionId, maxBytes) => readRecording(db, dataDir, sessionId, maxBytes),
    listEvents(query = {}) {
      const { clause, params } = whereOf([
        ['session = ?', query.session],
        ['type = ?', query.type],
        ['ts >= ?', query.since],
        ['id > ?', query.after],
      ]);
      const sql = `SELECT * FROM events ${clause} ORDER BY id LIMIT ?`;
      return db.prepare(sql).all(...params, limitOf(query.limit, 1000)).map(toEvent);
    },
    ...createSampleListQueries(db),
    getSampleDetail: (sha256) => sampleDetail(db, sha256),
    listDevices: () => listDeviceSummaries(db),
    listExploitDetections: (query) => listExploitDetections(db, query),
    listExploitCandidates: (query) => listExploitCandidates(db, query),
    overview: createOverviewReader(db),
    close() {
      if (db.isOpen) db.close();
    },
  };
}
