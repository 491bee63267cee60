// Reads the program header table (segments) and the PT_INTERP path, bounded like the section
// reader; program headers are what the kernel trusts, so they matter most when sections are junk.
import type { BoundedReader } from './bounded-reader.ts';
import type { ElfHeader } from './elf-header.ts';

export const MAX_SEGMENTS = 4096;
const PN_XNUM = 0xffff;
const PT_INTERP = 3;
const MAX_INTERP = 4096;

export interface RawSegment {
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: bigint;
  readonly filesz: number;
  readonly memsz: number;
  readonly align: number;
}

export interface SegmentTable {
  readonly segments: readonly RawSegment[];
  readonly declared: number | null;
}

/** `xnumCount` is section 0's sh_info, the real count when e_phnum is PN_XNUM. */
export function readSegments(r: BoundedReader, h: ElfHeader, xnumCount: number | null, problems: string[]): SegmentTable {
  const is64 = h.bits === 64;
  const minEntry = is64 ? 56 : 32;
  if (h.phoff === null || h.phnum === null || h.phentsize === null) return { segments: [], declared: null };
  let declared = h.phnum;
  if (declared === PN_XNUM && xnumCount !== null) declared = xnumCount;
  if (declared === 0) return { segments: [], declared: 0 };
  if (h.phoff === 0) {
    problems.push(`e_phnum is ${declared} but e_phoff is 0: no program header table`);
    return { segments: [], declared };
  }
  if (h.phentsize < minEntry) {
    problems.push(`e_phentsize ${h.phentsize} is smaller than a ${h.bits}-bit program header (${minEntry})`);
    return { segments: [], declared };
  }
  if (!r.has(h.phoff, minEntry)) {
    problems.push(`program header table at offset ${h.phoff} lies past the end of the file (${r.length} bytes)`);
    return { segments: [], declared };
  }
  const fits = Math.floor((r.length - h.phoff) / h.phentsize);
  if (fits < declared) problems.push(`program header table truncated: ${declared} declared, ${fits} present`);
  if (declared > MAX_SEGMENTS) problems.push(`${declared} program headers declared; only the first ${MAX_SEGMENTS} are read`);
  const count = Math.min(declared, fits, MAX_SEGMENTS);
  const segments: RawSegment[] = [];
  for (let i = 0; i < count; i++) segments.push(readEntry(r, h.phoff + i * h.phentsize, is64));
  const outside = segments.filter((s) => s.filesz > 0 && !r.has(s.offset, s.filesz)).length;
  if (outside > 0) problems.push(`${outside} segment(s) extend past the end of the file`);
  return { segments, declared };
}

function readEntry(r: BoundedReader, at: number, is64: boolean): RawSegment {
  const u32 = (o: number): number => r.u32(at + o) ?? 0;
  const word = (o: number): number => r.word(at + o, is64) ?? 0;
  if (is64) {
    return { type: u32(0), flags: u32(4), offset: word(8), vaddr: r.u64(at + 16) ?? 0n, filesz: word(32), memsz: word(40), align: word(48) };
  }
  return { type: u32(0), offset: u32(4), vaddr: BigInt(u32(8)), filesz: u32(16), memsz: u32(20), flags: u32(24), align: u32(28) };
}

/** The dynamic loader path from the first PT_INTERP, printable, or null (with a problem when unreadable). */
export function readInterpreter(r: BoundedReader, segments: readonly RawSegment[], problems: string[]): string | null {
  const interp = segments.find((s) => s.type === PT_INTERP);
  if (interp === undefined) return null;
  const path = r.cstring(interp.offset, interp.offset + interp.filesz, MAX_INTERP);
  if (path === undefined || path === '') {
    problems.push(`PT_INTERP at offset ${interp.offset} is empty or past the end of the file`);
    return null;
  }
  return path;
}
