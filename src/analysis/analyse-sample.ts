// One sample, fully analysed: file type, ELF build, UPX, strings and indicators, family rules (built-in
// matcher, plus yara when configured), the Mirai string table, and a TLSH digest. Returns the
// analysis.* event payloads, and the file found inside (UPX-unpacked, gunzipped, unzipped) to analyse next.
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { EventPayloads } from '../core/events.ts';
import { parseElf, type ElfReport } from './binary/elf-report.ts';
import { detectFileType } from './binary/file-type.ts';
import { detectUpx } from './binary/upx.ts';
import { unpackUpx } from './binary/upx-unpack.ts';
import { firstZipEntry } from './binary/zip-inner.ts';
import { extractIndicators } from './intel/indicators.ts';
import { matchRules, type CompiledRules, type RuleMatch } from './intel/family-rules.ts';
import { extractMiraiConfig } from './intel/mirai-table.ts';
import type { FamilyRule } from './intel/rule-schema.ts';
import { extractStrings } from './intel/strings.ts';
import { runYaraOnBytes } from './intel/yara.ts';
import { tlshDigest } from './similarity/tlsh.ts';

export interface AnalyserOptions {
  readonly rules: CompiledRules;
  /** Run the yara tool too (rules rendered from the same data, plus extra .yar files); null: built-in only. */
  readonly yara: { readonly rules: readonly FamilyRule[]; readonly path: string; readonly extraRulesDir: string | null } | null;
  /** Try `upx -d` on UPX-packed files (when upx is installed). */
  readonly unpack: boolean;
  /** Largest unpacked or gunzipped file accepted (zip bombs stop here). */
  readonly maxInnerBytes: number;
}

export interface SampleAnalysis {
  readonly file: EventPayloads['analysis.file'];
  readonly indicators: EventPayloads['analysis.indicators'];
  readonly families: readonly EventPayloads['analysis.family'][];
  readonly mirai: EventPayloads['analysis.mirai'] | null;
  /** A file found inside this one: store it and analyse it as a sample of its own. */
  readonly inner: { readonly sha256: string; readonly bytes: Uint8Array; readonly how: 'upx' | 'gzip' | 'zip' } | null;
}

/** Evidence lists in events stay short: the full report is one query away. */
const MAX_EVENT_LIST = 100;

export async function analyseSample(sha256: string, bytes: Uint8Array, options: AnalyserOptions): Promise<SampleAnalysis> {
  const started = performance.now();
  const type = detectFileType(bytes);
  const elf = type.kind === 'elf' || type.kind === 'upx-elf' ? parseElf(bytes) : null;
  const upxInfo = detectUpx(bytes);
  const { strings, truncated: stringsCut } = extractStrings(bytes);
  const found = extractIndicators(strings);
  const matches: RuleMatch[] = matchRules(options.rules, { bytes, strings });
  if (options.yara) {
    const yara = await runYaraOnBytes(options.yara.rules, bytes, { yaraPath: options.yara.path, extraRulesDir: options.yara.extraRulesDir });
    // The same rule seen by both engines is reported once (the built-in match already has offsets).
    if (yara.ok) for (const m of yara.matches) if (!matches.some((b) => b.ruleId === m.ruleId)) matches.push(m);
  }
  const mirai = extractMiraiConfig(bytes);

  let inner: SampleAnalysis['inner'] = null;
  let upx: EventPayloads['analysis.file']['upx'] = null;
  let description = type.description;
  if (upxInfo.packed) {
    let unpackError: string | null = 'unpacking is off';
    if (options.unpack) {
      const result = await unpackUpx(bytes, { maxOutputBytes: options.maxInnerBytes });
      if (result.ok) {
        inner = { sha256: sha256Of(result.bytes), bytes: result.bytes, how: 'upx' };
        unpackError = null;
      } else unpackError = `${result.reason}: ${result.detail}`;
    }
    upx = { version: upxInfo.version, magicAltered: upxInfo.magicAltered, unpacked: inner?.sha256 ?? null, unpackError };
  } else if (type.kind === 'gzip') {
    try {
      const inflated = gunzipSync(bytes, { maxOutputLength: options.maxInnerBytes });
      inner = { sha256: sha256Of(inflated), bytes: inflated, how: 'gzip' };
    } catch (error) {
      description += error instanceof RangeError ? ` (inflates past ${options.maxInnerBytes} bytes: not analysed inside)` : ' (corrupt: not analysed inside)';
    }
  } else if (type.kind === 'zip') {
    const unzipped = await firstZipEntry(bytes, options.maxInnerBytes);
    if (unzipped.ok) inner = { sha256: sha256Of(unzipped.bytes), bytes: unzipped.bytes, how: 'zip' };
    else description += ` (${unzipped.reason}: not analysed inside)`;
  }

  const families: EventPayloads['analysis.family'][] = matches.map((m) => ({
    sha256,
    family: m.family,
    variant: m.variant,
    rule: m.ruleId,
    engine: m.engine,
    evidence: m.evidence.slice(0, MAX_EVENT_LIST).map((e) => `${e.name}@${e.offsets.slice(0, 3).join(',')}`),
  }));
  // A decoded Mirai table names the family even when no rule string survived a variant's changes.
  if (mirai !== null && !families.some((f) => f.family === 'mirai')) {
    families.push({ sha256, family: 'mirai', variant: null, rule: 'mirai-string-table', engine: 'mirai-table', evidence: mirai.evidence.slice(0, MAX_EVENT_LIST) });
  }
  const values = (hits: readonly { readonly value: string }[]): string[] => hits.slice(0, MAX_EVENT_LIST).map((h) => h.value);
  return {
    file: {
      sha256,
      size: bytes.length,
      kind: type.kind,
      description,
      arch: elf?.machine?.arch ?? null,
      machine: elf?.machine?.name ?? null,
      elf: elf === null ? null : elfSummary(elf),
      upx,
      tlsh: tlshDigest(bytes),
      inner: inner?.sha256 ?? null,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    },
    indicators: {
      sha256,
      ipv4: values(found.ipv4),
      ipv6: values(found.ipv6),
      domains: values(found.domains),
      urls: values(found.urls),
      hostPorts: values(found.hostPorts),
      userAgents: values(found.userAgents),
      credentials: found.credentials.pairs.slice(0, MAX_EVENT_LIST).map((p) => ({ username: p.username, password: p.password })),
      strings: strings.length,
      truncated: found.truncated || stringsCut,
    },
    families,
    mirai:
      mirai === null
        ? null
        : { sha256, key: mirai.key, cnc: mirai.cnc, scanCallback: mirai.scanCallback, killer: mirai.killer.slice(0, MAX_EVENT_LIST), scanner: mirai.scanner.slice(0, MAX_EVENT_LIST), strings: mirai.entries.length },
    inner,
  };
}

function elfSummary(elf: ElfReport): NonNullable<EventPayloads['analysis.file']['elf']> {
  return {
    bits: elf.bits,
    endian: elf.endian,
    osAbi: elf.osAbi?.name ?? null,
    type: elf.type?.name ?? null,
    entry: elf.entry,
    linking: elf.linking,
    interpreter: elf.interpreter,
    stripped: elf.stripped,
    armArch: elf.arm?.architecture ?? null,
    eabi: elf.arm?.eabiVersion ?? null,
    sections: elf.sectionCount,
    segments: elf.segmentCount,
    problems: elf.problems.slice(0, 20),
  };
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
