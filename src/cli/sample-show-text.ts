// The text form of `hachi samples show`: one section per question an analyst asks (what is it, where
// was it seen, what named it, how was it fetched, what did analysis find, what is it close to).
// Every value from the store may be attacker-made, so every line goes through printable().
import type { Sample, SampleDetail } from '../storage/store.ts';
import type { VariantCluster } from './sample-clusters.ts';
import type { StoredBytes } from './sample-bytes.ts';
import { humanBytes, shortSha, utcMinute, utcSecond, verdict } from './sample-format.ts';
import { formatTable, printable } from './table.ts';

export interface ShowModel {
  readonly sample: Sample;
  readonly detail: SampleDetail;
  readonly stored: StoredBytes;
  readonly cluster: VariantCluster | null;
}

const LIST_SHOWN = 10;

function field(label: string, value: string, width = 12): string {
  return `  ${label.padEnd(width)} ${printable(value)}`;
}

function listed(values: readonly string[], total = values.length): string {
  if (values.length === 0) return '-';
  const shown = values.slice(0, LIST_SHOWN).join(', ');
  return total > LIST_SHOWN ? `${shown} (+${total - LIST_SHOWN} more)` : shown;
}

function indent(block: string): string[] {
  return block.split('\n').map((line) => `  ${line}`);
}

function storedLine(m: ShowModel): string {
  if (m.stored.ok) return 'yes (sha256 verified)';
  if (m.sample.evictedAt !== null) return `no: evicted ${utcSecond(m.sample.evictedAt)}, metadata only`;
  return `no: ${m.stored.detail}`;
}

function overview(m: ShowModel): string[] {
  const s = m.sample;
  return [
    `sample ${s.sha256}`,
    field('size', `${s.size} bytes (${humanBytes(s.size)})`),
    field('seen', s.count === 0 ? 'never on its own (found inside another sample)' : `${s.count} time${s.count === 1 ? '' : 's'}`),
    field('first seen', utcSecond(s.firstSeen)),
    field('last seen', utcSecond(s.lastSeen)),
    field('stored', storedLine(m)),
    ...(m.detail.containedIn.length > 0 ? [field('found in', listed(m.detail.containedIn))] : []),
  ];
}

function whereSeen(d: SampleDetail): string[] {
  const w = d.sightings;
  if (w.total === 0) return [];
  return [
    '',
    'where seen',
    field('sessions', `${w.sessionCount}: ${listed(w.sessions, w.sessionCount)}`),
    field('personas', listed(w.personas)),
    field('sensors', listed(w.sensors)),
    field('attackers', listed(w.sourceAddresses)),
    field('paths', listed(w.paths)),
    field('urls', listed(w.sourceUrls)),
  ];
}

function links(d: SampleDetail): string[] {
  const out: string[] = [];
  if (d.parents.length > 0) {
    out.push('', 'named by (dropper that fetched it)');
    for (const p of d.parents) out.push(field(shortSha(p.sha256), p.url, 17));
  }
  if (d.children.length > 0) {
    out.push('', `names (${d.children.length} sample${d.children.length === 1 ? '' : 's'} it fetched)`);
    for (const c of d.children) out.push(field(shortSha(c.sha256), c.url, 17));
  }
  return out;
}

function fetches(d: SampleDetail): string[] {
  if (d.fetchCount === 0) return [];
  const rows = d.fetches.map((f) => [utcMinute(f.ts), f.outcome, f.status ?? '-', String(f.bytes), f.tool, String(f.depth), f.address ?? '-', f.url]);
  const more = d.fetchCount > d.fetches.length ? [`    (${d.fetchCount - d.fetches.length} older fetches not shown)`] : [];
  return ['', `fetches (${d.fetchCount})`, ...indent(formatTable(['time (UTC)', 'outcome', 'status', 'bytes', 'tool', 'depth', 'address', 'url'], rows, 80)), ...more];
}

function analysis(m: ShowModel): string[] {
  const a = m.detail.analysis;
  if (a === null) return ['', 'analysis', '  not analysed yet: hachi samples analyse ' + m.sample.sha256.slice(0, 16)];
  const f = a.file;
  const out = ['', `analysis (${utcSecond(a.analysedAt)}, ${f.durationMs} ms)`, field('kind', `${f.kind}: ${f.description}`)];
  if (f.arch !== null || f.machine !== null) out.push(field('cpu', `${f.arch ?? '?'} (${f.machine ?? 'unknown machine'})`));
  if (f.elf !== null) {
    const e = f.elf;
    const armParts = [e.armArch, e.eabi === null || e.eabi === 0 ? null : `EABI${e.eabi}`].filter((x) => x !== null);
    const arm = armParts.length > 0 ? `, ${armParts.join(' ')}` : '';
    out.push(field('elf', `${e.bits ?? '?'}-bit ${e.endian ?? '?'}-endian ${e.type ?? '?'}, OS/ABI ${e.osAbi ?? '?'}${arm}`));
    out.push(field('build', `${e.linking}${e.interpreter ? ` (${e.interpreter})` : ''}, ${e.stripped === null ? 'stripped?' : e.stripped ? 'stripped' : 'not stripped'}, entry ${e.entry ?? '?'}, ${e.sections ?? '?'} sections, ${e.segments ?? '?'} segments`));
    if (e.problems.length > 0) out.push(field('problems', e.problems.join('; ')));
  }
  if (f.upx !== null) {
    const u = f.upx;
    out.push(field('upx', `packed${u.version ? ` (UPX ${u.version})` : ''}${u.magicAltered ? ', magic altered' : ''}; ${u.unpacked ? `unpacked to ${u.unpacked}` : `not unpacked: ${u.unpackError ?? 'unknown'}`}`));
  }
  if (f.inner !== null) out.push(field('contains', f.inner));
  out.push(field('tlsh', f.tlsh ?? '- (too small or uniform)'));
  out.push(field('family', verdict(a)));
  for (const r of a.families) out.push(field(`  ${r.engine}`, `${r.rule} -> ${r.family}${r.variant ? `/${r.variant}` : ''}: ${listed(r.evidence)}`));
  for (const [kind, values] of Object.entries(a.indicators)) out.push(field(kind, listed(values)));
  if (a.mirai !== null) {
    const x = a.mirai;
    const at = (h: { domain: string | null; port: number | null }): string => `${h.domain ?? '?'}:${h.port ?? '?'}`;
    out.push('', `mirai config (xor key 0x${x.key.toString(16).padStart(2, '0')}, ${x.strings} table entries)`);
    out.push(field('cnc', at(x.cnc)), field('report', at(x.scanCallback)), field('killer', listed(x.killer)), field('scanner', listed(x.scanner)));
  }
  return out;
}

function cluster(m: ShowModel): string[] {
  const c = m.cluster;
  if (c === null) return [];
  if (c.others.length === 0) return ['', `variant cluster (TLSH <= ${c.threshold}): no other sample`];
  const rows = c.others.slice(0, 20).map((o) => [shortSha(o.sha256), o.distance === null ? '-' : String(o.distance), verdict(o), o.kind, o.arch ?? '-']);
  const more = c.others.length > 20 ? [`    (+${c.others.length - 20} more)`] : [];
  return ['', `variant cluster ${shortSha(c.id)} (TLSH <= ${c.threshold}, single linkage): ${c.others.length} other sample${c.others.length === 1 ? '' : 's'}`,
    ...indent(formatTable(['sha256', 'distance', 'family', 'kind', 'arch'], rows)), ...more];
}

export function renderSampleText(m: ShowModel): string {
  return [...overview(m), ...whereSeen(m.detail), ...links(m.detail), ...fetches(m.detail), ...analysis(m), ...cluster(m)].join('\n');
}
