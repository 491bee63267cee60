// Mirai configuration extraction: finds the byte that Mirai-style bots XOR their string table with
// (table_key folded to one byte), decodes the table and reports C2, scan callback, killer and scanner strings.
import { isPlausibleDomain, isValidIpv4 } from './indicators.ts';
import { findNeighbourXorLiterals, type LiteralPattern } from './literal-scan.ts';
import { categorize, foldTableKey, KNOWN_ENTRIES, KNOWN_PREFIXES, KNOWN_SUFFIXES, PUBLISHED_TABLE_KEYS, type MiraiCategory } from './mirai-known.ts';

export interface Endpoint {
  readonly domain: string | null;
  readonly port: number | null;
}

export interface TableEntry {
  readonly offset: number;
  /** Decoded text for string entries; null for two-byte port entries. */
  readonly text: string | null;
  readonly port: number | null;
}

export interface MiraiConfig {
  /** The effective XOR byte. */
  readonly key: number;
  /** Published four-byte table_key values that fold to `key`, e.g. "0xdeadbeef (Mirai (public source))". */
  readonly tableKeyCandidates: readonly string[];
  /** Known plaintexts found encoded with `key`: why this is a Mirai table. */
  readonly evidence: readonly string[];
  readonly region: { readonly start: number; readonly end: number };
  readonly cnc: Endpoint;
  readonly scanCallback: Endpoint;
  readonly killer: readonly string[];
  readonly scanner: readonly string[];
  readonly attack: readonly string[];
  readonly other: readonly string[];
  readonly entries: readonly TableEntry[];
}

export interface MiraiLimits {
  /** Distinct known plaintexts needed before a key is believed. */
  readonly minEvidence: number;
  readonly maxEntries: number;
  readonly maxRegionBytes: number;
}

export const defaultMiraiLimits: MiraiLimits = { minEvidence: 3, maxEntries: 512, maxRegionBytes: 64 * 1024 };

const MAX_HITS_PER_PATTERN = 64;
const MAX_LITERAL = 512;
const MAX_PADDING = 16;
const CLUSTER_GAP = 4096;

interface Probe {
  readonly label: string;
  /** Plaintext bytes as stored, including the NUL for whole entries and suffixes. */
  readonly plain: Buffer;
  /** XOR of neighbouring bytes: the same whatever the key, so one search serves all 255 keys. */
  readonly diff: Buffer;
}

function probe(label: string, plain: string): Probe {
  const bytes = Buffer.from(plain, 'latin1');
  return { label, plain: bytes, diff: xorNeighbours(bytes) };
}

const PROBES: readonly Probe[] = [
  ...KNOWN_ENTRIES.map(([t]) => probe(t, `${t}\0`)),
  ...KNOWN_SUFFIXES.map((t) => probe(`*${t}`, `${t}\0`)),
  ...KNOWN_PREFIXES.map((t) => probe(`${t}*`, t)),
].filter((p) => p.plain.length >= 5);

/** The probes' neighbour XORs, all searched in one pass over the sample's. */
const PROBE_DIFFS: readonly LiteralPattern[] = PROBES.map((p) => ({ bytes: p.diff, nocase: false, fullword: false }));

function xorNeighbours(bytes: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(Math.max(0, bytes.length - 1));
  for (let i = 0; i + 1 < bytes.length; i++) out[i] = bytes[i]! ^ bytes[i + 1]!;
  return out;
}

interface Hit {
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

export function extractMiraiConfig(bytes: Uint8Array, limits: Partial<MiraiLimits> = {}): MiraiConfig | null {
  const lim = { ...defaultMiraiLimits, ...limits };
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const byKey = new Map<number, Hit[]>();
  const found = findNeighbourXorLiterals(data, PROBE_DIFFS, MAX_HITS_PER_PATTERN, MAX_HITS_PER_PATTERN);
  PROBES.forEach((p, k) => {
    for (const at of found[k]!) {
      const key = data[at]! ^ p.plain[0]!;
      // Key 0 is plain text: an ordinary binary that happens to contain "/proc/".
      if (key === 0) continue;
      const hits = byKey.get(key) ?? [];
      hits.push({ start: at, end: at + p.plain.length, label: p.label });
      byKey.set(key, hits);
    }
  });
  let best: { key: number; hits: Hit[]; labels: Set<string> } | null = null;
  for (const [key, hits] of byKey) {
    const labels = new Set(hits.map((h) => h.label));
    if (!best || labels.size > best.labels.size) best = { key, hits, labels };
  }
  if (!best || best.labels.size < lim.minEvidence) return null;
  const cluster = densestCluster(best.hits);
  const entries = walkTable(data, best.key, cluster, lim);
  const region = entries.length > 0 ? { start: entries[0]!.offset, end: entries[entries.length - 1]!.end } : { start: cluster.start, end: cluster.end };
  return describe(best.key, [...new Set(cluster.hits.map((h) => h.label))], region, entries.map(({ end: _end, ...e }) => e));
}

function densestCluster(hits: readonly Hit[]): { start: number; end: number; hits: Hit[] } {
  const sorted = [...hits].sort((a, b) => a.start - b.start);
  let best: Hit[] = [];
  let current: Hit[] = [];
  for (const h of sorted) {
    const last = current[current.length - 1];
    if (last && h.start - last.end > CLUSTER_GAP) current = [];
    current.push(h);
    if (current.length > best.length) best = current;
  }
  return { start: best[0]!.start, end: Math.max(...best.map((h) => h.end)), hits: best };
}

type WalkedEntry = TableEntry & { readonly end: number };

/** A NUL-delimited literal decoded with `key`: a string entry ends in the encoded NUL, a port is 2 bytes. */
function decodeLiteral(data: Buffer, start: number, end: number, key: number): WalkedEntry | null {
  const length = end - start;
  if (length === 2) return { offset: start, end, text: null, port: ((data[start]! ^ key) << 8) | (data[start + 1]! ^ key) };
  if (length < 2 || length > MAX_LITERAL || (data[end - 1]! ^ key) !== 0) return null;
  let text = '';
  for (let i = start; i < end - 1; i++) {
    const c = data[i]! ^ key;
    if (!((c >= 0x20 && c <= 0x7e) || c === 0x09 || c === 0x0a || c === 0x0d)) return null;
    text += String.fromCharCode(c);
  }
  return { offset: start, end, text, port: null };
}

/** Decodes literals from the start of the cluster's first literal forward, and backward from it. */
function walkTable(data: Buffer, key: number, cluster: { start: number; end: number }, lim: MiraiLimits): WalkedEntry[] {
  let first = cluster.start;
  while (first > 0 && data[first - 1] !== 0 && cluster.start - first < MAX_LITERAL) first--;
  const forward: WalkedEntry[] = [];
  let pos = first;
  while (pos < data.length && forward.length < lim.maxEntries && pos - first < lim.maxRegionBytes) {
    let end = pos;
    while (end < data.length && data[end] !== 0 && end - pos <= MAX_LITERAL) end++;
    const entry = decodeLiteral(data, pos, end, key);
    // Inside the cluster an odd literal is skipped; past it, the first one ends the table.
    if (entry) forward.push(entry);
    else if (pos >= cluster.end) break;
    let next = end;
    while (next < data.length && data[next] === 0 && next - end < MAX_PADDING) next++;
    if (next < data.length && data[next] === 0) break;
    pos = next;
  }
  const backward: WalkedEntry[] = [];
  pos = first;
  while (backward.length + forward.length < lim.maxEntries && first - pos < lim.maxRegionBytes) {
    let end = pos;
    while (end > 0 && data[end - 1] === 0 && pos - end < MAX_PADDING) end--;
    if (end === pos || end === 0 || data[end - 1] === 0) break;
    let start = end;
    while (start > 0 && data[start - 1] !== 0 && end - start <= MAX_LITERAL) start--;
    // The literal's own NUL terminator is part of the padding run: decode [start, end).
    const entry = decodeLiteral(data, start, end, key);
    if (!entry) break;
    backward.unshift(entry);
    pos = start;
  }
  return [...backward, ...forward];
}

function describe(key: number, evidence: string[], region: { start: number; end: number }, entries: TableEntry[]): MiraiConfig {
  const lists: Record<MiraiCategory, string[]> = { killer: [], scanner: [], attack: [], other: [] };
  // Endpoints: a host entry followed by a port entry. Mirai lists the C2 first, the scan callback second;
  // a lone port before the only host (Masuta) is the C2 port and that host the scan callback.
  const pairs: Endpoint[] = [];
  let lonePort: number | null = null;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.text === null) {
      if (pairs.length === 0 && lonePort === null) lonePort = e.port;
      continue;
    }
    if (isValidIpv4(e.text) || isPlausibleDomain(e.text)) {
      const next = entries[i + 1];
      pairs.push({ domain: e.text, port: next && next.text === null ? next.port : null });
      continue;
    }
    lists[categorize(e.text)].push(e.text);
  }
  const none: Endpoint = { domain: null, port: null };
  let cnc = pairs[0] ?? (lonePort === null ? none : { domain: null, port: lonePort });
  let scanCallback = pairs[1] ?? none;
  if (pairs.length === 1 && lonePort !== null) {
    cnc = { domain: null, port: lonePort };
    scanCallback = pairs[0]!;
  }
  const tableKeyCandidates = PUBLISHED_TABLE_KEYS.filter(([k]) => foldTableKey(k) === key).map(
    ([k, name]) => `0x${k.toString(16).padStart(8, '0')} (${name})`,
  );
  return { key, tableKeyCandidates, evidence, region, cnc, scanCallback, ...lists, entries };
}
