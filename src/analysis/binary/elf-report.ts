// parseElf: everything readable about an ELF file in one JSON-safe report, for any input. Corrupt
// or truncated parts become entries in `problems`; the parser never throws and never scans the body.
import { BoundedReader, hex } from './bounded-reader.ts';
import { parseArmAttributes } from './elf-arm-attributes.ts';
import type { ArmAttributes } from './elf-arm-attributes.ts';
import { decodeArmFlags, decodeMipsFlags, decodeRiscvFlags } from './elf-flags.ts';
import type { MipsFlags, RiscvFlags } from './elf-flags.ts';
import { isElfMagic, readElfHeader } from './elf-header.ts';
import type { ElfHeader } from './elf-header.ts';
import { describeMachine } from './elf-machines.ts';
import type { MachineName } from './elf-machines.ts';
import { elfTypeName, osAbiName, sectionFlagLetters, sectionTypeName, segmentFlagLetters, segmentTypeName } from './elf-names.ts';
import type { ElfTypeName } from './elf-names.ts';
import { readSections } from './elf-sections.ts';
import type { RawSection } from './elf-sections.ts';
import { readInterpreter, readSegments } from './elf-segments.ts';
import type { RawSegment } from './elf-segments.ts';
import { describeElf } from './elf-describe.ts';

/** Sections and segments listed in a report at most (the counts are always complete). */
export const LISTED_MAX = 256;
const MAX_PROBLEMS = 64;
const MAX_ATTRIBUTES_BYTES = 64 * 1024;

export interface ElfArmInfo {
  readonly eabiVersion: number;
  readonly floatAbi: 'hard' | 'soft' | null;
  /** From .ARM.attributes when present ("ARMv5TE", "ARMv7-A"). */
  readonly architecture: string | null;
  readonly attributes: ArmAttributes | null;
}

export interface ElfSectionSummary {
  readonly index: number;
  readonly name: string | null;
  readonly type: string;
  readonly address: string;
  readonly offset: number;
  readonly size: number;
  readonly flags: string;
}

export interface ElfSegmentSummary {
  readonly type: string;
  readonly offset: number;
  readonly vaddr: string;
  readonly filesz: number;
  readonly memsz: number;
  readonly flags: string;
}

export interface ElfReport {
  readonly isElf: boolean;
  readonly bits: 32 | 64 | null;
  readonly endian: 'little' | 'big' | null;
  readonly osAbi: { readonly value: number; readonly name: string } | null;
  readonly abiVersion: number | null;
  readonly type: { readonly value: number; readonly name: ElfTypeName } | null;
  readonly machine: MachineName | null;
  readonly flags: number | null;
  readonly arm: ElfArmInfo | null;
  readonly mips: MipsFlags | null;
  readonly riscv: RiscvFlags | null;
  /** Entry point in hex ("0x8194"); hex keeps 64-bit addresses exact and JSON-safe. */
  readonly entry: string | null;
  readonly linking: 'static' | 'dynamic' | 'unknown';
  readonly interpreter: string | null;
  /** No .symtab; null when there is no readable section table to tell. */
  readonly stripped: boolean | null;
  readonly debugInfo: boolean;
  readonly sectionCount: number | null;
  readonly sections: readonly ElfSectionSummary[];
  readonly segmentCount: number | null;
  readonly segments: readonly ElfSegmentSummary[];
  /** One line in the style of file(1): "ELF 32-bit LSB executable, ARM, EABI5, ...". */
  readonly description: string;
  readonly problems: readonly string[];
}

export function parseElf(bytes: Uint8Array): ElfReport {
  if (!isElfMagic(bytes)) return { ...EMPTY, description: 'not an ELF file', problems: ['no ELF magic (7f 45 4c 46)'] };
  const problems: string[] = [];
  try {
    return build(bytes, problems);
  } catch (err) {
    // Defence in depth: a parser bug must not take analysis down; tests assert this never happens.
    problems.push(`internal parser error: ${err instanceof Error ? err.message : String(err)}`);
    return { ...EMPTY, isElf: true, description: 'ELF (unparseable)', problems: cap(problems) };
  }
}

function build(bytes: Uint8Array, problems: string[]): ElfReport {
  const h = readElfHeader(bytes, problems);
  const r = new BoundedReader(bytes, h.little);
  const sectionTable = readSections(r, h, problems);
  const sections = sectionTable.sections;
  const segmentTable = readSegments(r, h, sections[0]?.info ?? null, problems);
  const segments = segmentTable.segments;
  const interpreter = readInterpreter(r, segments, problems);
  const names = new Set(sections.map((s) => s.name));
  const hasNames = sections.some((s) => s.name !== null && s.name !== '');
  const linking = segments.length === 0 ? 'unknown'
    : segments.some((s) => s.type === 2 || s.type === 3) ? 'dynamic' : 'static';
  const machine = h.machine === null ? null : describeMachine(h.machine, h.bits, h.little);
  const report: Omit<ElfReport, 'description'> = {
    isElf: true,
    bits: h.bits,
    endian: h.little ? 'little' : 'big',
    osAbi: h.osAbi === null ? null : { value: h.osAbi, name: osAbiName(h.osAbi, h.machine ?? 0) },
    abiVersion: h.abiVersion,
    type: h.type === null ? null : { value: h.type, name: elfTypeName(h.type) },
    machine,
    flags: h.flags,
    arm: h.machine === 40 && h.flags !== null ? armInfo(r, h.flags, sections, h.little, problems) : null,
    mips: (h.machine === 8 || h.machine === 10) && h.flags !== null ? decodeMipsFlags(h.flags, h.bits) : null,
    riscv: h.machine === 243 && h.flags !== null ? decodeRiscvFlags(h.flags) : null,
    entry: h.entry === null ? null : hex(h.entry),
    linking,
    interpreter,
    stripped: hasNames ? !names.has('.symtab') : null,
    debugInfo: names.has('.debug_info') || names.has('.zdebug_info'),
    sectionCount: sectionTable.declared,
    sections: sections.slice(0, LISTED_MAX).map((s) => summariseSection(s, h)),
    segmentCount: segmentTable.declared,
    segments: segments.slice(0, LISTED_MAX).map(summariseSegment),
    problems: [],
  };
  return { ...report, description: describeElf(report, h.version), problems: cap(problems) };
}

function armInfo(r: BoundedReader, flags: number, sections: readonly RawSection[], little: boolean, problems: string[]): ElfArmInfo {
  const decoded = decodeArmFlags(flags);
  const section = sections.find((s) => s.type === 0x70000003 || s.name === '.ARM.attributes');
  let attributes: ArmAttributes | null = null;
  if (section !== undefined) {
    const size = Math.min(section.size, MAX_ATTRIBUTES_BYTES);
    if (r.has(section.offset, size)) attributes = parseArmAttributes(r.bytes.subarray(section.offset, section.offset + size), little, problems);
    else problems.push('.ARM.attributes lies past the end of the file');
  }
  return { eabiVersion: decoded.eabiVersion, floatAbi: decoded.floatAbi, architecture: attributes?.cpuArchName ?? null, attributes };
}

function summariseSection(s: RawSection, h: ElfHeader): ElfSectionSummary {
  return {
    index: s.index, name: s.name, type: sectionTypeName(s.type, h.machine ?? 0), address: hex(s.addr),
    offset: s.offset, size: s.size, flags: sectionFlagLetters(s.flags),
  };
}

function summariseSegment(s: RawSegment): ElfSegmentSummary {
  return { type: segmentTypeName(s.type), offset: s.offset, vaddr: hex(s.vaddr), filesz: s.filesz, memsz: s.memsz, flags: segmentFlagLetters(s.flags) };
}

function cap(problems: string[]): string[] {
  return problems.length <= MAX_PROBLEMS ? problems : [...problems.slice(0, MAX_PROBLEMS), `${problems.length - MAX_PROBLEMS} more problems`];
}

const EMPTY: ElfReport = {
  isElf: false, bits: null, endian: null, osAbi: null, abiVersion: null, type: null, machine: null, flags: null, arm: null,
  mips: null, riscv: null, entry: null, linking: 'unknown', interpreter: null, stripped: null, debugInfo: false,
  sectionCount: null, sections: [], segmentCount: null, segments: [], description: '', problems: [],
};
