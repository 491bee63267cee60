// Sample listing queries: every stored sample once (artifacts, plus files found inside them that only
// the analyses know), with its analysis verdict; prefix lookup; digests for clustering; re-analysis lists.
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { int, intOrNull, text, textList, textOrNull } from './sql-row.ts';
import type { Row } from './sql-row.ts';

export interface Sample {
  readonly sha256: string;
  readonly size: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Times captured or fetched; 0 for a file found inside another one (UPX-unpacked, gunzipped). */
  readonly count: number;
  readonly paths: readonly string[];
  readonly personas: readonly string[];
  readonly sessions: readonly string[];
  readonly sourceUrls: readonly string[];
  /** The earliest source URL, else the earliest path: where it came from, in one cell. */
  readonly source: string | null;
  /** The sample this one was found inside, when it was never captured on its own. */
  readonly foundIn: string | null;
  readonly evictedAt: number | null;
  /** null until analysed. */
  readonly kind: string | null;
  readonly description: string | null;
  readonly arch: string | null;
  readonly machine: string | null;
  readonly family: string | null;
  readonly variant: string | null;
}

export interface SampleQuery {
  /** Family name, matched against the verdict and every rule the current analysis matched (case-insensitive). */
  readonly family?: string;
  readonly arch?: string;
  readonly limit?: number;
}

export interface SampleDigestRow {
  readonly sha256: string;
  readonly tlsh: string | null;
  readonly family: string | null;
  readonly variant: string | null;
  readonly kind: string;
  readonly arch: string | null;
  readonly firstSeen: number;
}

/** Prefix matches, at most `limit`; the caller decides what ambiguity means. */
export type SampleResolution = readonly string[];

const MAX_LIMIT = 100_000;

// Samples as the CLI sees them: captured artifacts, and inner files that exist only as analyses
// (their times are those of the sample they came out of).
const BASE = `
  WITH base AS (
    SELECT a.sha256, a.size, a.first_seen, a.last_seen, a.count, a.evicted_at, NULL AS found_in FROM artifacts a
    UNION ALL
    SELECT an.sha256, an.size,
      coalesce((SELECT min(p.first_seen) FROM analyses pa JOIN artifacts p ON p.sha256 = pa.sha256 WHERE pa.inner_sha256 = an.sha256), an.analysed_at),
      coalesce((SELECT max(p.last_seen) FROM analyses pa JOIN artifacts p ON p.sha256 = pa.sha256 WHERE pa.inner_sha256 = an.sha256), an.analysed_at),
      0, NULL,
      (SELECT pa.sha256 FROM analyses pa WHERE pa.inner_sha256 = an.sha256 ORDER BY pa.analysed_at LIMIT 1)
    FROM analyses an WHERE NOT EXISTS (SELECT 1 FROM artifacts a WHERE a.sha256 = an.sha256)
  )`;

const COLUMNS = `b.sha256, b.size, b.first_seen, b.last_seen, b.count, b.evicted_at, b.found_in,
  an.kind, an.description, an.arch, an.machine, an.family, an.variant,
  (SELECT json_group_array(DISTINCT path) FROM artifact_sightings s WHERE s.sha256 = b.sha256 AND path != '') AS paths,
  (SELECT json_group_array(DISTINCT persona) FROM artifact_sightings s WHERE s.sha256 = b.sha256) AS personas,
  (SELECT json_group_array(DISTINCT session) FROM artifact_sightings s WHERE s.sha256 = b.sha256) AS sessions,
  (SELECT json_group_array(DISTINCT source_url) FROM artifact_sightings s WHERE s.sha256 = b.sha256 AND source_url IS NOT NULL) AS urls,
  coalesce(
    (SELECT source_url FROM artifact_sightings s WHERE s.sha256 = b.sha256 AND source_url IS NOT NULL ORDER BY ts, event_id LIMIT 1),
    (SELECT path FROM artifact_sightings s WHERE s.sha256 = b.sha256 AND path != '' ORDER BY ts, event_id LIMIT 1)) AS source`;

export function toSample(r: Row): Sample {
  return {
    sha256: text(r, 'sha256'),
    size: int(r, 'size'),
    firstSeen: int(r, 'first_seen'),
    lastSeen: int(r, 'last_seen'),
    count: int(r, 'count'),
    paths: textList(r, 'paths'),
    personas: textList(r, 'personas'),
    sessions: textList(r, 'sessions'),
    sourceUrls: textList(r, 'urls'),
    source: textOrNull(r, 'source'),
    foundIn: textOrNull(r, 'found_in'),
    evictedAt: intOrNull(r, 'evicted_at'),
    kind: textOrNull(r, 'kind'),
    description: textOrNull(r, 'description'),
    arch: textOrNull(r, 'arch'),
    machine: textOrNull(r, 'machine'),
    family: textOrNull(r, 'family'),
    variant: textOrNull(r, 'variant'),
  };
}

export interface SampleListQueries {
  /** Most recently seen first. */
  listSamples(query?: SampleQuery): Sample[];
  /** One sample by its full hash, or null. */
  getSample(sha256: string): Sample | null;
  /** Hashes starting with `prefix` (lowercase hex), at most `limit`. */
  resolveSample(prefix: string, limit?: number): SampleResolution;
  /** Every analysed sample's TLSH digest and verdict, for variant clustering. */
  listDigests(): SampleDigestRow[];
  /** Samples to (re-)analyse, earliest first: not evicted; `missingOnly` keeps those never analysed. */
  listAnalysable(options?: { readonly missingOnly?: boolean }): string[];
}

export function createSampleListQueries(db: DatabaseSync): SampleListQueries {
  const one = db.prepare(`${BASE} SELECT ${COLUMNS} FROM base b LEFT JOIN analyses an ON an.sha256 = b.sha256 WHERE b.sha256 = ?`);
  return {
    listSamples(query = {}) {
      const where: string[] = [];
      const params: SQLInputValue[] = [];
      if (query.family !== undefined) {
        where.push('(an.family = ? COLLATE NOCASE OR EXISTS (SELECT 1 FROM sample_families f WHERE f.sha256 = b.sha256 AND f.family = ? COLLATE NOCASE AND f.ts >= an.analysed_at))');
        params.push(query.family, query.family);
      }
      if (query.arch !== undefined) {
        where.push('an.arch = ? COLLATE NOCASE');
        params.push(query.arch);
      }
      const limit = Number.isSafeInteger(query.limit) && query.limit !== undefined && query.limit > 0 ? Math.min(query.limit, MAX_LIMIT) : MAX_LIMIT;
      const sql = `${BASE} SELECT ${COLUMNS} FROM base b LEFT JOIN analyses an ON an.sha256 = b.sha256
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY b.last_seen DESC, b.sha256 LIMIT ?`;
      return db.prepare(sql).all(...params, limit).map(toSample);
    },
    getSample(sha256) {
      const row = one.get(sha256);
      return row ? toSample(row) : null;
    },
    resolveSample(prefix, limit = 10) {
      if (!/^[0-9a-f]{1,64}$/.test(prefix)) return [];
      // A range scan on the primary keys: every hex digit sorts below 'g'.
      const sql = `SELECT sha256 FROM artifacts WHERE sha256 >= ?1 AND sha256 < ?1 || 'g'
        UNION SELECT sha256 FROM analyses WHERE sha256 >= ?1 AND sha256 < ?1 || 'g' ORDER BY sha256 LIMIT ?2`;
      return db.prepare(sql).all(prefix, limit).map((r) => text(r, 'sha256'));
    },
    listDigests() {
      const sql = `SELECT an.sha256, an.tlsh, an.family, an.variant, an.kind, an.arch, coalesce(a.first_seen, an.analysed_at) AS first_seen
        FROM analyses an LEFT JOIN artifacts a ON a.sha256 = an.sha256 ORDER BY first_seen, an.sha256`;
      return db.prepare(sql).all().map((r) => ({
        sha256: text(r, 'sha256'),
        tlsh: textOrNull(r, 'tlsh'),
        family: textOrNull(r, 'family'),
        variant: textOrNull(r, 'variant'),
        kind: text(r, 'kind'),
        arch: textOrNull(r, 'arch'),
        firstSeen: int(r, 'first_seen'),
      }));
    },
    listAnalysable(options = {}) {
      const sql = options.missingOnly
        ? `SELECT a.sha256 FROM artifacts a WHERE a.evicted_at IS NULL AND NOT EXISTS (SELECT 1 FROM analyses an WHERE an.sha256 = a.sha256) ORDER BY a.first_seen, a.sha256`
        : `${BASE} SELECT b.sha256 FROM base b WHERE b.evicted_at IS NULL ORDER BY b.first_seen, b.sha256`;
      return db.prepare(sql).all().map((r) => text(r, 'sha256'));
    },
  };
}
