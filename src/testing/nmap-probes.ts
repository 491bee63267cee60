// Reads nmap's service probe file and replays its `match` lines (as JS RegExps) on a response, the
// way `nmap -sV` names a service: the probe's own matches first, then the NULL probe's (fallback).
import { readFileSync } from 'node:fs';

export interface NmapMatch {
  readonly line: number;
  readonly service: string;
  readonly soft: boolean;
  readonly regex: RegExp;
  /** The version info template: "p/uc-httpd/ v/$1/ ...". */
  readonly info: string;
}

export const NMAP_PROBES_FILE = '/usr/share/nmap/nmap-service-probes';

/** Match lines of `probe` (e.g. "GetRequest") then of NULL; lines JS cannot compile are skipped and counted. */
export function nmapMatches(probe: string, file = NMAP_PROBES_FILE): { matches: NmapMatch[]; skipped: number } {
  const sections = new Map<string, NmapMatch[]>();
  let current: NmapMatch[] | null = null;
  let skipped = 0;
  const lines = readFileSync(file, 'latin1').split('\n');
  for (const [index, text] of lines.entries()) {
    const probeLine = /^Probe TCP (\S+) /.exec(text);
    if (probeLine) {
      current = [];
      sections.set(probeLine[1] ?? '', current);
      continue;
    }
    const m = /^(match|softmatch) (\S+) m(.)/.exec(text);
    if (!m || current === null) continue;
    const delim = m[3] ?? '|';
    const start = m[0].length;
    const end = text.indexOf(delim, start);
    if (end < 0) continue;
    const flagsAndInfo = text.slice(end + 1);
    const flags = /^[is]*/.exec(flagsAndInfo)?.[0] ?? '';
    try {
      current.push({ line: index + 1, service: m[2] ?? '', soft: m[1] === 'softmatch', regex: new RegExp(text.slice(start, end), flags), info: flagsAndInfo.slice(flags.length).trim() });
    } catch {
      skipped++;
    }
  }
  return { matches: [...(sections.get(probe) ?? []), ...(sections.get('NULL') ?? [])], skipped };
}

/** The first hard match for `response` (latin1 bytes), with $1.. filled in its info; null if none. */
export function nmapIdentify(matches: readonly NmapMatch[], response: Uint8Array): { line: number; service: string; info: string } | null {
  const text = Buffer.from(response).toString('latin1');
  for (const match of matches) {
    if (match.soft) continue;
    const found = match.regex.exec(text);
    if (found) return { line: match.line, service: match.service, info: match.info.replace(/\$(\d)/g, (_, n: string) => found[Number(n)] ?? '') };
  }
  return null;
}
