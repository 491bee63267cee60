// Reads the ELF identification and file header field by field, so a header cut short or with a
// corrupt class/data byte still yields every field that is present (IoT malware often has both).
import { BoundedReader } from './bounded-reader.ts';
import { ELF_MACHINES } from './elf-machines.ts';

export interface ElfHeader {
  readonly bits: 32 | 64;
  readonly little: boolean;
  readonly identVersion: number | null;
  readonly osAbi: number | null;
  readonly abiVersion: number | null;
  readonly type: number | null;
  readonly machine: number | null;
  readonly version: number | null;
  readonly entry: bigint | null;
  readonly phoff: number | null;
  readonly shoff: number | null;
  readonly flags: number | null;
  readonly ehsize: number | null;
  readonly phentsize: number | null;
  readonly phnum: number | null;
  readonly shentsize: number | null;
  readonly shnum: number | null;
  readonly shstrndx: number | null;
}

export function isElfMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** Parses the header of a buffer that starts with the ELF magic; `problems` receives what is odd. */
export function readElfHeader(bytes: Uint8Array, problems: string[]): ElfHeader {
  const bits = classOf(bytes, problems);
  const little = endianOf(bytes, problems);
  const r = new BoundedReader(bytes, little);
  const is64 = bits === 64;
  const w = is64 ? 8 : 4;
  const flagsAt = 24 + 3 * w;
  const size = is64 ? 64 : 52;
  if (bytes.length < size) problems.push(`ELF header truncated: ${bytes.length} of ${size} bytes present`);
  const n = (v: number | undefined): number | null => v ?? null;
  const header: ElfHeader = {
    bits,
    little,
    identVersion: n(r.u8(6)),
    osAbi: n(r.u8(7)),
    abiVersion: n(r.u8(8)),
    type: n(r.u16(16)),
    machine: n(r.u16(18)),
    version: n(r.u32(20)),
    entry: r.wordBig(24, is64) ?? null,
    phoff: n(r.word(24 + w, is64)),
    shoff: n(r.word(24 + 2 * w, is64)),
    flags: n(r.u32(flagsAt)),
    ehsize: n(r.u16(flagsAt + 4)),
    phentsize: n(r.u16(flagsAt + 6)),
    phnum: n(r.u16(flagsAt + 8)),
    shentsize: n(r.u16(flagsAt + 10)),
    shnum: n(r.u16(flagsAt + 12)),
    shstrndx: n(r.u16(flagsAt + 14)),
  };
  if (header.identVersion !== null && header.identVersion !== 1) problems.push(`EI_VERSION is ${header.identVersion}, expected 1`);
  if (header.version !== null && header.version !== 1) problems.push(`e_version is ${header.version}, expected 1`);
  if (header.ehsize !== null && header.ehsize !== size) problems.push(`e_ehsize is ${header.ehsize}, expected ${size}`);
  return header;
}

function classOf(bytes: Uint8Array, problems: string[]): 32 | 64 {
  const c = bytes[4];
  if (c === 1) return 32;
  if (c === 2) return 64;
  // Guess from where the program headers start: right after a 52- or 64-byte header.
  const le = bytes[5] !== 2;
  const r = new BoundedReader(bytes, le);
  const guess = r.u32(28) === 52 ? 32 : r.u64(32) === 64n ? 64 : 32;
  problems.push(`invalid EI_CLASS ${c === undefined ? '(missing)' : c}; guessed ${guess}-bit`);
  return guess;
}

function endianOf(bytes: Uint8Array, problems: string[]): boolean {
  const d = bytes[5];
  if (d === 1) return true;
  if (d === 2) return false;
  // Guess from which byte order gives a known e_machine (and a small e_type).
  const le = new BoundedReader(bytes, true);
  const be = new BoundedReader(bytes, false);
  const score = (r: BoundedReader): number => {
    const m = r.u16(18);
    const t = r.u16(16);
    return (m !== undefined && m !== 0 && ELF_MACHINES.has(m) ? 2 : 0) + (t !== undefined && t >= 1 && t <= 4 ? 1 : 0);
  };
  const little = score(le) >= score(be);
  problems.push(`invalid EI_DATA ${d === undefined ? '(missing)' : d}; guessed ${little ? 'little' : 'big'}-endian`);
  return little;
}
