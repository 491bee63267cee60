// Builds the bytes of a persona's /bin/busybox: a synthetic but valid ELF executable for the
// persona's CPU (bots read its header to choose which binary to drop), padded to a realistic size.
import type { ElfIdentity } from '../core/persona.ts';

export interface ElfImageSpec {
  readonly elf: ElfIdentity;
  /** Total file size in bytes. */
  readonly size: number;
  /** Text placed NUL-terminated in .rodata so `strings` finds it (BusyBox banner, applet names). */
  readonly strings: readonly string[];
  /** Seeds the deterministic filler that stands in for machine code. */
  readonly seed: string;
}

const PT_LOAD = 1;
const PT_GNU_STACK = 0x6474e551;
const SHT_PROGBITS = 1;
const SHT_STRTAB = 3;
const SHT_NOBITS = 8;
const SHF_WRITE = 1;
const SHF_ALLOC = 2;
const SHF_EXECINSTR = 4;

/** Link base and segment alignment the usual toolchains use for each e_machine. */
function layoutFor(machine: number): { base: number; align: number } {
  switch (machine) {
    case 3: return { base: 0x08048000, align: 0x1000 };
    case 8: return { base: 0x00400000, align: 0x10000 };
    case 20: return { base: 0x10000000, align: 0x10000 };
    case 40: return { base: 0x00008000, align: 0x8000 };
    case 183: return { base: 0x00400000, align: 0x10000 };
    default: return { base: 0x00400000, align: 0x1000 };
  }
}

const SECTION_NAMES = ['', '.text', '.rodata', '.data', '.bss', '.shstrtab'] as const;

export function buildElfImage(spec: ElfImageSpec): Uint8Array {
  const { bits, endian, machine, flags } = spec.elf;
  const is64 = bits === 64;
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const shentsize = is64 ? 64 : 40;
  const phnum = 3;
  const shnum = SECTION_NAMES.length;
  const { base, align } = layoutFor(machine);

  const encoder = new TextEncoder();
  // A leading NUL ends the code filler so `strings` sees the first text on its own.
  const rodata = encoder.encode(`\0${spec.strings.map((s) => `${s}\0`).join('')}`);
  const shstrtab = encoder.encode(SECTION_NAMES.map((s) => `${s}\0`).join(''));
  const dataSize = roundUp(Math.max(256, Math.floor(spec.size / 64)), 16);
  const bssSize = roundUp(Math.floor(spec.size / 32), 16);
  const textOff = roundUp(ehsize + phentsize * phnum, 16);
  const fixedTail = rodata.length + 16 + dataSize + 16 + shstrtab.length + 16 + shentsize * shnum;
  const textSize = roundUp(Math.max(4096, spec.size - textOff - fixedTail), 16);
  const rodataOff = textOff + textSize;
  const textSegEnd = rodataOff + rodata.length;
  const dataOff = roundUp(textSegEnd, 16);
  const shstrOff = dataOff + dataSize;
  const shoff = roundUp(shstrOff + shstrtab.length, 8);
  const total = Math.max(spec.size, shoff + shentsize * shnum);

  const bytes = new Uint8Array(total);
  fillCode(bytes.subarray(textOff, rodataOff), spec.seed);
  bytes.set(rodata, rodataOff);
  bytes.set(shstrtab, shstrOff);

  const view = new DataView(bytes.buffer);
  const le = endian === 'little';
  const u16 = (off: number, v: number): void => view.setUint16(off, v, le);
  const u32 = (off: number, v: number): void => view.setUint32(off, v, le);
  const addr = (off: number, v: number): number => {
    if (is64) view.setBigUint64(off, BigInt(v), le);
    else view.setUint32(off, v, le);
    return off + (is64 ? 8 : 4);
  };

  // e_ident: magic, class, data, version, OSABI (System V), ABI version, padding.
  bytes.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, le ? 1 : 2, 1, 0, 0], 0);
  u16(16, 2); // e_type: EXEC
  u16(18, machine);
  u32(20, 1); // e_version
  let p = addr(24, base + textOff); // e_entry
  p = addr(p, ehsize); // e_phoff
  p = addr(p, shoff); // e_shoff
  u32(p, flags);
  u16(p + 4, ehsize);
  u16(p + 6, phentsize);
  u16(p + 8, phnum);
  u16(p + 10, shentsize);
  u16(p + 12, shnum);
  u16(p + 14, shnum - 1); // e_shstrndx

  const dataVaddr = base + dataOff + align;
  const segments = [
    { type: PT_LOAD, flags: 5, offset: 0, vaddr: base, filesz: textSegEnd, memsz: textSegEnd, align },
    { type: PT_LOAD, flags: 6, offset: dataOff, vaddr: dataVaddr, filesz: dataSize, memsz: dataSize + bssSize, align },
    { type: PT_GNU_STACK, flags: 6, offset: 0, vaddr: 0, filesz: 0, memsz: 0, align: is64 ? 16 : 4 },
  ];
  segments.forEach((seg, i) => {
    const at = ehsize + i * phentsize;
    u32(at, seg.type);
    if (is64) {
      u32(at + 4, seg.flags);
      let q = addr(at + 8, seg.offset);
      q = addr(q, seg.vaddr);
      q = addr(q, seg.vaddr); // p_paddr
      q = addr(q, seg.filesz);
      q = addr(q, seg.memsz);
      addr(q, seg.align);
    } else {
      u32(at + 4, seg.offset);
      u32(at + 8, seg.vaddr);
      u32(at + 12, seg.vaddr);
      u32(at + 16, seg.filesz);
      u32(at + 20, seg.memsz);
      u32(at + 24, seg.flags);
      u32(at + 28, seg.align);
    }
  });

  const nameOffset = (i: number): number => SECTION_NAMES.slice(0, i).reduce((n, s) => n + s.length + 1, 0);
  const sections = [
    { type: 0, flags: 0, vaddr: 0, offset: 0, size: 0, align: 0 },
    { type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, vaddr: base + textOff, offset: textOff, size: textSize, align: 16 },
    { type: SHT_PROGBITS, flags: SHF_ALLOC, vaddr: base + rodataOff, offset: rodataOff, size: rodata.length, align: 1 },
    { type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_WRITE, vaddr: dataVaddr, offset: dataOff, size: dataSize, align: 16 },
    { type: SHT_NOBITS, flags: SHF_ALLOC | SHF_WRITE, vaddr: dataVaddr + dataSize, offset: dataOff + dataSize, size: bssSize, align: 16 },
    { type: SHT_STRTAB, flags: 0, vaddr: 0, offset: shstrOff, size: shstrtab.length, align: 1 },
  ];
  sections.forEach((sec, i) => {
    const at = shoff + i * shentsize;
    u32(at, i === 0 ? 0 : nameOffset(i));
    u32(at + 4, sec.type);
    if (is64) {
      view.setBigUint64(at + 8, BigInt(sec.flags), le);
      let q = addr(at + 16, sec.vaddr);
      q = addr(q, sec.offset);
      q = addr(q, sec.size);
      u32(q, 0); // sh_link
      u32(q + 4, 0); // sh_info
      q = addr(q + 8, sec.align);
      addr(q, 0); // sh_entsize
    } else {
      u32(at + 8, sec.flags);
      u32(at + 12, sec.vaddr);
      u32(at + 16, sec.offset);
      u32(at + 20, sec.size);
      u32(at + 24, 0);
      u32(at + 28, 0);
      u32(at + 32, sec.align);
      u32(at + 36, 0);
    }
  });
  return bytes;
}

function roundUp(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}

/** Deterministic high-entropy filler (xorshift32 seeded by FNV-1a of `seed`), like stripped code. */
function fillCode(target: Uint8Array, seed: string): void {
  let state = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 0x01000193) >>> 0;
  if (state === 0) state = 1;
  for (let i = 0; i < target.length; i += 4) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    target[i] = state & 0xff;
    if (i + 1 < target.length) target[i + 1] = (state >>> 8) & 0xff;
    if (i + 2 < target.length) target[i + 2] = (state >>> 16) & 0xff;
    if (i + 3 < target.length) target[i + 3] = state >>> 24;
  }
}
