// Finds where a connection the firewall redirected to the sinkhole was really going: parses the
// text of `conntrack -L` (plain or `-o extended`) and picks the entry whose reply reaches the sinkhole.
import type { Endpoint } from '../core/events.ts';

export interface ConntrackTuple {
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
}

export interface ConntrackEntry {
  readonly protocol: string;
  readonly original: ConntrackTuple;
  readonly reply: ConntrackTuple;
}

/** Lines longer than this are not conntrack's (it prints a few hundred bytes per flow). */
const MAX_LINE = 2048;
const PROTOCOL = /^(?:ipv[46]\s+\d+\s+)?([a-z0-9]+)\s+\d+\s/;
const FIELD = /\b(src|dst|sport|dport)=(\S+)/g;

/** Every TCP or UDP flow in the listing; lines that do not parse are skipped. */
export function parseConntrack(text: string): ConntrackEntry[] {
  const entries: ConntrackEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.length > MAX_LINE) continue;
    const protocol = PROTOCOL.exec(line.trim())?.[1];
    if (protocol !== 'tcp' && protocol !== 'udp') continue;
    // The original direction's src, dst, sport, dport come first, the reply direction's next.
    const values: Record<string, string>[] = [{}, {}];
    for (const [, key, value] of line.matchAll(FIELD)) {
      if (key === undefined || value === undefined) continue;
      const target = values[0]?.[key] === undefined ? values[0] : values[1];
      if (target && target[key] === undefined) target[key] = value;
    }
    const original = tuple(values[0]);
    const reply = tuple(values[1]);
    if (original && reply) entries.push({ protocol, original, reply });
  }
  return entries;
}

/** The listener's side of a flow; ip null when unknown (a UDP socket bound to 0.0.0.0 is not told). */
export interface LocalEnd {
  readonly ip: string | null;
  readonly port: number;
}

/**
 * The original destination of the flow from `source` that was redirected to `local` (the sinkhole's
 * own address and port as the listener saw it), or null when none matches.
 */
export function originalDestination(entries: readonly ConntrackEntry[], protocol: 'tcp' | 'udp', source: Endpoint, local: LocalEnd): Endpoint | null {
  for (const e of entries) {
    if (e.protocol !== protocol || e.original.src !== source.ip || e.original.sport !== source.port) continue;
    // After DNAT the reply comes from the sinkhole port; a flow from the same source port that was
    // not redirected (an old one still listed) answers from its own destination and is skipped.
    if ((local.ip !== null && e.reply.src !== local.ip) || e.reply.sport !== local.port || e.reply.dst !== source.ip) continue;
    return { ip: e.original.dst, port: e.original.dport };
  }
  return null;
}

function tuple(fields: Record<string, string> | undefined): ConntrackTuple | null {
  if (!fields) return null;
  const { src, dst } = fields;
  const sport = portOf(fields['sport']);
  const dport = portOf(fields['dport']);
  if (src === undefined || dst === undefined || sport === null || dport === null || !/^[0-9a-f.:]{2,45}$/i.test(src) || !/^[0-9a-f.:]{2,45}$/i.test(dst)) return null;
  return { src: src.toLowerCase(), dst: dst.toLowerCase(), sport, dport };
}

function portOf(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port <= 65535 ? port : null;
}
