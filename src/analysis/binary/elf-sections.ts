// Reads the section header table and section names, bounded by the buffer and a count cap; handles
// the extended numbering (e_shnum 0 / e_shstrndx SHN_XINDEX) and reports every inconsistency.
import type { BoundedReader } from './bounded-reader.ts';
import type { ElfHeader } from './elf-header.ts';

export const MAX_SECTIONS = 4096;
const MAX_NAME = 256;
const SHN_XINDEX = 0xffff;
const SHT_NOBITS = 8;

export interface RawSection {
  readonly index: number;
  readonly name: string | null;
  readonly type: number;
  readonly flags: number;
  readonly addr: bigint;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly entsize: number;
}

export interface SectionTable {
  readonly sections: readonly RawSection[];
  /** Count the header declares (after extended numbering), or null when there is no table. */
  readonly declared: number | null;
}

export function readSections(r: BoundedReader, h: ElfHeader, problems: string[]): SectionTable {
  const is64 = h.bits === 64;
  const minEntry = is64 ? 64 : 40;
  if (h.shoff === null || h.shnum === null || h.shentsize === null) return { sections: [], declared: null };
  if (h.shoff === 0) {
    if (h.shnum !== 0) problems.push(`e_shnum is ${h.shnum} but e_shoff is 0: no section header table`);
    return { sections: [], declared: null };
  }
  if (h.shentsize < minEntry) {
    problems.push(`e_shentsize ${h.shentsize} is smaller than a ${h.bits}-bit section header (${minEntry})`);
    return { sections: [], declared: h.shnum };
  }
  if (!r.has(h.shoff, minEntry)) {
    problems.push(`section header table at offset ${h.shoff} lies past the end of the file (${r.length} bytes)`);
    return { sections: [], declared: h.shnum };
  }
  const first = readEntry(r, h.shoff, 0, is64);
  let declared = h.shnum;
  if (declared === 0) {
    // Extended numbering: more than 0xff00 sections, the real count is section 0's sh_size.
    declared = first.size;
    if (declared !== 0) problems.push(`e_shnum is 0; section 0 gives the count ${declared}`);
  }
  const fits = Math.floor((r.length - h.shoff) / h.shentsize);
  if (fits < declared) problems.push(`section header table truncated: ${declared} declared, ${fits} present`);
  if (declared > MAX_SECTIONS) problems.push(`${declared} sections declared; only the first ${MAX_SECTIONS} are read`);
  const count = Math.min(declared, fits, MAX_SECTIONS);
  const raw: Entry[] = [];
  for (let i = 0; i < count; i++) raw.push(readEntry(r, h.shoff + i * h.shentsize, i, is64));

  let outOfFile = 0;
  for (const s of raw) {
    if (s.type !== SHT_NOBITS && s.size > 0 && !r.has(s.offset, s.size)) outOfFile++;
  }
  if (outOfFile > 0) problems.push(`${outOfFile} section(s) extend past the end of the file`);

  const strndx = h.shstrndx === SHN_XINDEX ? first.link : h.shstrndx;
  const strtab = strndx === null || strndx === 0 ? undefined : raw[strndx];
  if (strndx !== null && strndx !== 0 && strtab === undefined) {
    problems.push(`e_shstrndx ${strndx} is out of range (${count} sections read)`);
  } else if (strtab !== undefined && !r.has(strtab.offset, 1)) {
    problems.push(`section name table at offset ${strtab.offset} lies past the end of the file`);
  }
  const strEnd = strtab === undefined ? 0 : Math.min(strtab.offset + strtab.size, r.length);
  const sections = raw.map(({ nameIndex, ...s }): RawSection => ({
    ...s,
    name: strtab === undefined ? null : (r.cstring(strtab.offset + nameIndex, strEnd, MAX_NAME) ?? null),
  }));
  return { sections, declared };
}

interface Entry extends Omit<RawSection, 'name'> {
  readonly nameIndex: number;
}

function readEntry(r: BoundedReader, at: number, index: number, is64: boolean): Entry {
  // Fields past the end of the buffer read as 0: the caller has already bounded `at` to whole entries.
  const u32 = (o: number): number => r.u32(at + o) ?? 0;
  const word = (o: number): number => r.word(at + o, is64) ?? 0;
  if (is64) {
    return {
      index, nameIndex: u32(0), type: u32(4), flags: word(8), addr: r.u64(at + 16) ?? 0n, offset: word(24),
      size: word(32), link: u32(40), info: u32(44), entsize: word(56),
    };
  }
  return {
    index, nameIndex: u32(0), type: u32(4), flags: u32(8), addr: BigInt(u32(12)), offset: u32(16),
    size: u32(20), link: u32(24), info: u32(28), entsize: u32(36),
  };
}
