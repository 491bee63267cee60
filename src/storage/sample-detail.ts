// Everything the store knows about one sample: where it was seen, which payload named it and which it
// named, the fetches that brought it, and its analysis (file, families with evidence, indicators, Mirai).
import type { DatabaseSync } from 'node:sqlite';
import type { DownloadOutcome, DownloadTool, EventPayloads } from '../core/events.ts';
import { int, text, textOrNull } from './sql-row.ts';
import type { Row } from './sql-row.ts';

/** Lists in a detail are cut at this many entries; totals say how many there were. */
export const DETAIL_LIST_LIMIT = 50;

export interface SampleSightings {
  /** Captures and fetches recorded for the sample. */
  readonly total: number;
  /** Most recent first, at most DETAIL_LIST_LIMIT. */
  readonly sessions: readonly string[];
  readonly sessionCount: number;
  readonly personas: readonly string[];
  readonly sensors: readonly string[];
  readonly paths: readonly string[];
  readonly sourceUrls: readonly string[];
  /** Attacker addresses of the sessions that dropped or fetched it. */
  readonly sourceAddresses: readonly string[];
}

export interface SampleLink {
  readonly sha256: string;
  readonly url: string;
  readonly firstSeen: number;
}

export interface SampleFetch {
  readonly ts: number;
  readonly session: string;
  readonly persona: string;
  readonly sensor: string;
  readonly srcIp: string;
  readonly tool: DownloadTool;
  readonly url: string;
  readonly finalUrl: string;
  readonly outcome: DownloadOutcome;
  readonly status: string | null;
  readonly bytes: number;
  readonly address: string | null;
  readonly durationMs: number;
  readonly parent: string | null;
  readonly depth: number;
}

export interface SampleFamilyMatch {
  readonly rule: string;
  readonly family: string;
  readonly variant: string | null;
  readonly engine: string;
  readonly evidence: readonly string[];
}

export interface SampleAnalysisDetail {
  readonly analysedAt: number;
  /** The analysis.file payload as published. */
  readonly file: EventPayloads['analysis.file'];
  readonly family: string | null;
  readonly variant: string | null;
  readonly families: readonly SampleFamilyMatch[];
  /** Indicator kind (ipv4, ipv6, domains, urls, hostPorts, userAgents, credential) to values. */
  readonly indicators: Readonly<Record<string, readonly string[]>>;
  readonly mirai: EventPayloads['analysis.mirai'] | null;
}

export interface SampleDetail {
  readonly sightings: SampleSightings;
  /** Payloads (dropper scripts) that named this sample. */
  readonly parents: readonly SampleLink[];
  /** Samples this payload named. */
  readonly children: readonly SampleLink[];
  /** Samples this one was found inside (it is their UPX-unpacked or gunzipped content). */
  readonly containedIn: readonly string[];
  readonly fetches: readonly SampleFetch[];
  readonly fetchCount: number;
  readonly analysis: SampleAnalysisDetail | null;
}

const strings = (rows: readonly Row[], column: string): string[] => rows.map((r) => text(r, column));

function toFetch(r: Row): SampleFetch {
  return {
    ts: int(r, 'ts'),
    session: text(r, 'session'),
    persona: text(r, 'persona'),
    sensor: text(r, 'sensor'),
    srcIp: text(r, 'src_ip'),
    tool: text(r, 'tool') as DownloadTool,
    url: text(r, 'url'),
    finalUrl: text(r, 'final_url'),
    outcome: text(r, 'outcome') as DownloadOutcome,
    status: textOrNull(r, 'status'),
    bytes: int(r, 'bytes'),
    address: textOrNull(r, 'address'),
    durationMs: int(r, 'duration_ms'),
    parent: textOrNull(r, 'parent'),
    depth: int(r, 'depth'),
  };
}

function stringArray(json: string): string[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
}

export function sampleDetail(db: DatabaseSync, sha256: string): SampleDetail {
  const n = DETAIL_LIST_LIMIT;
  const distinct = (column: string, extra = ''): string[] =>
    strings(db.prepare(`SELECT DISTINCT ${column} AS v FROM artifact_sightings WHERE sha256 = ? ${extra} ORDER BY v LIMIT ?`).all(sha256, n), 'v');
  const sightings: SampleSightings = {
    total: int(db.prepare('SELECT count(*) AS n FROM artifact_sightings WHERE sha256 = ?').get(sha256) ?? { n: 0 }, 'n'),
    sessions: strings(db.prepare('SELECT session AS v FROM artifact_sightings WHERE sha256 = ? GROUP BY session ORDER BY max(ts) DESC LIMIT ?').all(sha256, n), 'v'),
    sessionCount: int(db.prepare('SELECT count(DISTINCT session) AS n FROM artifact_sightings WHERE sha256 = ?').get(sha256) ?? { n: 0 }, 'n'),
    personas: distinct('persona'),
    // The sensor is on the event that recorded the sighting.
    sensors: strings(db.prepare('SELECT DISTINCT e.sensor AS v FROM artifact_sightings s JOIN events e ON e.id = s.event_id WHERE s.sha256 = ? ORDER BY v LIMIT ?').all(sha256, n), 'v'),
    paths: distinct('path', "AND path != ''"),
    sourceUrls: distinct('source_url', 'AND source_url IS NOT NULL'),
    sourceAddresses: strings(db.prepare('SELECT DISTINCT x.src_ip AS v FROM artifact_sightings s JOIN sessions x ON x.id = s.session WHERE s.sha256 = ? ORDER BY v LIMIT ?').all(sha256, n), 'v'),
  };
  const links = (sql: string): SampleLink[] => db.prepare(sql).all(sha256, n).map((r) => ({ sha256: text(r, 'sha'), url: text(r, 'url'), firstSeen: int(r, 'first_seen') }));
  const row = db.prepare('SELECT * FROM analyses WHERE sha256 = ?').get(sha256);
  return {
    sightings,
    parents: links('SELECT parent AS sha, url, first_seen FROM artifact_links WHERE child = ? ORDER BY first_seen, parent LIMIT ?'),
    children: links('SELECT child AS sha, url, first_seen FROM artifact_links WHERE parent = ? ORDER BY url, child LIMIT ?'),
    containedIn: strings(db.prepare('SELECT sha256 AS v FROM analyses WHERE inner_sha256 = ? ORDER BY v LIMIT ?').all(sha256, n), 'v'),
    fetches: db.prepare('SELECT * FROM fetches WHERE sha256 = ? ORDER BY ts DESC, event_id DESC LIMIT ?').all(sha256, n).map(toFetch),
    fetchCount: int(db.prepare('SELECT count(*) AS n FROM fetches WHERE sha256 = ?').get(sha256) ?? { n: 0 }, 'n'),
    analysis: row ? analysisOf(db, sha256, row) : null,
  };
}

function analysisOf(db: DatabaseSync, sha256: string, row: Row): SampleAnalysisDetail {
  const analysedAt = int(row, 'analysed_at');
  // A re-analysis replaces the verdict but not old rule matches: only those made by this analysis
  // or later count (its analysis.family events follow its analysis.file event).
  const families = db
    .prepare('SELECT rule, family, variant, engine, evidence FROM sample_families WHERE sha256 = ? AND ts >= ? ORDER BY family, rule')
    .all(sha256, analysedAt)
    .map((r) => ({ rule: text(r, 'rule'), family: text(r, 'family'), variant: textOrNull(r, 'variant'), engine: text(r, 'engine'), evidence: stringArray(text(r, 'evidence')) }));
  const indicators: Record<string, string[]> = {};
  for (const r of db.prepare('SELECT kind, value FROM sample_indicators WHERE sha256 = ? ORDER BY kind, value').all(sha256)) {
    (indicators[text(r, 'kind')] ??= []).push(text(r, 'value'));
  }
  const mirai = db.prepare('SELECT data FROM mirai_configs WHERE sha256 = ?').get(sha256);
  return {
    analysedAt,
    file: JSON.parse(text(row, 'report')) as EventPayloads['analysis.file'],
    family: textOrNull(row, 'family'),
    variant: textOrNull(row, 'variant'),
    families,
    indicators,
    mirai: mirai ? (JSON.parse(text(mirai, 'data')) as EventPayloads['analysis.mirai']) : null,
  };
}

