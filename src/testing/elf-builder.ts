// Test helper: assembles small ELF files byte by byte (32/64-bit, either byte order, program and
// section headers, .interp, .symtab, .ARM.attributes) so parsers are tested without real binaries.

export interface BuildSection {
  readonly name: string;
  readonly type: number;
  readonly flags?: number;
  readonly data?: Uint8Array;
  /** sh_size for sections without data in the file (NOBITS). */
  readonly size?: number;
  readonly addr?: number;
  readonly link?: number;
  readonly info?: number;
  readonly entsize?: number;
}

export interface BuildSegment {
  readonly type: number;
  readonly flags?: number;
  /** Take offset and size from this section. */
  readonly section?: string;
  readonly offset?: number;
  readonly filesz?: number;
  readonly memsz?: number;
  readonly vaddr?: number;
}

export interface ElfBuildSpec {
  readonly bits?: 32 | 64;
  readonly endian?: 'little' | 'big';
  readonly machine: number;
  readonly flags?: number;
  readonly type?: number;
  readonly osAbi?: number;
  readonly entry?: number | bigint;
  readonly sections?: readonly BuildSection[];
  readonly segments?: readonly BuildSegment[];
  /** Adds a .interp section and a PT_INTERP segment (first, as linkers place it). */
  readonly interpreter?: string;
  /** Adds a .dynamic section and a PT_DYNAMIC segment. */
  readonly dynamic?: boolean;
  /** Adds .symtab and .strtab (an unstripped file). */
  readonly symtab?: boolean;
  /** Write section headers (default true); false leaves e_shoff/e_shnum 0 like UPX output. */
  readonly sectionHeaders?: boolean;
  /** Bytes placed right after the program headers (where UPX puts l_info/p_info). */
  readonly afterHeaders?: Uint8Array;
  /** Bytes appended at the very end of the file (where UPX puts its PackHeader). */
  readonly trailer?: Uint8Array;
}

const enc = new TextEncoder();

export function buildElf(spec: ElfBuildSpec): Uint8Array {
  const is64 = (spec.bits ?? 32) === 64;
  const le = (spec.endian ?? 'little') === 'little';
  const ehsize = is64 ? 64 : 52;
  const phentsize = is64 ? 56 : 32;
  const shentsize = is64 ? 64 : 40;

  const sections: BuildSection[] = [];
  if (spec.interpreter !== undefined) sections.push({ name: '.interp', type: 1, flags: 2, data: enc.encode(`${spec.interpreter}\0`) });
  sections.push(...(spec.sections ?? []));
  if (spec.dynamic === true) sections.push({ name: '.dynamic', type: 6, flags: 3, data: new Uint8Array(is64 ? 16 : 8), entsize: is64 ? 16 : 8 });
  if (spec.symtab === true) {
    const symSize = is64 ? 24 : 16;
    sections.push({ name: '.symtab', type: 2, data: new Uint8Array(symSize * 2), entsize: symSize, link: sections.length + 2, info: 1 });
    sections.push({ name: '.strtab', type: 3, data: enc.encode('\0main\0') });
  }
  const segments: BuildSegment[] = [];
  if (spec.interpreter !== undefined) segments.push({ type: 3, flags: 4, section: '.interp' });
  segments.push(...(spec.segments ?? []));
  if (spec.dynamic === true) segments.push({ type: 2, flags: 6, section: '.dynamic' });

  const withHeaders = spec.sectionHeaders ?? true;
  const names = ['', ...sections.map((s) => s.name), '.shstrtab'];
  const shstrtab = enc.encode(names.map((n) => `${n}\0`).join(''));
  const nameOffsets = names.map((_, i) => names.slice(0, i).reduce((n, s) => n + s.length + 1, 0));

  const after = spec.afterHeaders ?? new Uint8Array(0);
  let cursor = ehsize + phentsize * segments.length + after.length;
  const placed = sections.map((s) => {
    cursor = align(cursor, 8);
    const at = cursor;
    cursor += s.data?.length ?? 0;
    return at;
  });
  const shstrOff = align(cursor, 8);
  cursor = shstrOff + shstrtab.length;
  const shoff = withHeaders ? align(cursor, 8) : 0;
  const shnum = withHeaders ? sections.length + 2 : 0;
  const bodyEnd = withHeaders ? shoff + shnum * shentsize : cursor;
  const trailer = spec.trailer ?? new Uint8Array(0);
  const bytes = new Uint8Array(bodyEnd + trailer.length);
  const v = new DataView(bytes.buffer);
  const u16 = (o: number, x: number): void => v.setUint16(o, x, le);
  const u32 = (o: number, x: number): void => v.setUint32(o, x, le);
  const word = (o: number, x: number | bigint): number => {
    if (is64) v.setBigUint64(o, BigInt(x), le);
    else v.setUint32(o, Number(x), le);
    return o + (is64 ? 8 : 4);
  };

  bytes.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, le ? 1 : 2, 1, spec.osAbi ?? 0], 0);
  u16(16, spec.type ?? 2);
  u16(18, spec.machine);
  u32(20, 1);
  let p = word(24, spec.entry ?? 0x10000);
  p = word(p, segments.length > 0 ? ehsize : 0);
  p = word(p, shoff);
  u32(p, spec.flags ?? 0);
  u16(p + 4, ehsize);
  u16(p + 6, phentsize);
  u16(p + 8, segments.length);
  u16(p + 10, shentsize);
  u16(p + 12, shnum);
  u16(p + 14, withHeaders ? shnum - 1 : 0);
  bytes.set(after, ehsize + phentsize * segments.length);
  sections.forEach((s, i) => bytes.set(s.data ?? new Uint8Array(0), placed[i] ?? 0));
  bytes.set(shstrtab, shstrOff);
  bytes.set(trailer, bodyEnd);

  segments.forEach((seg, i) => {
    const idx = seg.section === undefined ? -1 : sections.findIndex((s) => s.name === seg.section);
    const offset = seg.offset ?? (idx >= 0 ? placed[idx] ?? 0 : 0);
    const filesz = seg.filesz ?? (idx >= 0 ? sections[idx]?.data?.length ?? 0 : bodyEnd);
    const vaddr = seg.vaddr ?? 0x10000 + offset;
    const memsz = seg.memsz ?? filesz;
    const at = ehsize + i * phentsize;
    u32(at, seg.type);
    if (is64) {
      u32(at + 4, seg.flags ?? 4);
      let q = word(at + 8, offset);
      q = word(q, vaddr);
      q = word(q, vaddr);
      q = word(q, filesz);
      q = word(q, memsz);
      word(q, 8);
    } else {
      u32(at + 4, offset);
      u32(at + 8, vaddr);
      u32(at + 12, vaddr);
      u32(at + 16, filesz);
      u32(at + 20, memsz);
      u32(at + 24, seg.flags ?? 4);
      u32(at + 28, 4);
    }
  });

  if (withHeaders) {
    const all: (BuildSection & { offset: number })[] = [
      ...sections.map((s, i) => ({ ...s, offset: placed[i] ?? 0 })),
      { name: '.shstrtab', type: 3, data: shstrtab, offset: shstrOff },
    ];
    all.forEach((s, i) => {
      const at = shoff + (i + 1) * shentsize;
      u32(at, nameOffsets[i + 1] ?? 0);
      u32(at + 4, s.type);
      const size = s.data?.length ?? s.size ?? 0;
      if (is64) {
        v.setBigUint64(at + 8, BigInt(s.flags ?? 0), le);
        let q = word(at + 16, s.addr ?? 0);
        q = word(q, s.offset);
        q = word(q, size);
        u32(q, s.link ?? 0);
        u32(q + 4, s.info ?? 0);
        q = word(q + 8, 1);
        word(q, s.entsize ?? 0);
      } else {
        u32(at + 8, s.flags ?? 0);
        u32(at + 12, s.addr ?? 0);
        u32(at + 16, s.offset);
        u32(at + 20, size);
        u32(at + 24, s.link ?? 0);
        u32(at + 28, s.info ?? 0);
        u32(at + 32, 1);
        u32(at + 36, s.entsize ?? 0);
      }
    });
  }
  return bytes;
}

export interface ArmAttributeSpec {
  readonly cpuArch: number;
  readonly profile?: 'A' | 'R' | 'M' | 'S';
  readonly cpuName?: string;
  readonly fpArch?: number;
  readonly vfpArgs?: number;
  readonly little?: boolean;
}

/** Contents of an .ARM.attributes section: "A", one "aeabi" subsection, one Tag_File record list. */
export function armAttributesSection(spec: ArmAttributeSpec): Uint8Array {
  const attrs: number[] = [];
  if (spec.cpuName !== undefined) attrs.push(5, ...enc.encode(spec.cpuName), 0);
  attrs.push(6, spec.cpuArch);
  if (spec.profile !== undefined) attrs.push(7, spec.profile.charCodeAt(0));
  attrs.push(8, 1, 9, 2);
  if (spec.fpArch !== undefined) attrs.push(10, spec.fpArch);
  if (spec.vfpArgs !== undefined) attrs.push(28, spec.vfpArgs);
  attrs.push(34, 1); // Tag_CPU_unaligned_access, an even tag > 32 with a ULEB value
  const fileSize = 5 + attrs.length;
  const vendor = enc.encode('aeabi\0');
  const subSize = 4 + vendor.length + fileSize;
  const out = new Uint8Array(1 + subSize);
  const v = new DataView(out.buffer);
  const le = spec.little ?? true;
  out[0] = 0x41;
  v.setUint32(1, subSize, le);
  out.set(vendor, 5);
  out[5 + vendor.length] = 1;
  v.setUint32(6 + vendor.length, fileSize, le);
  out.set(attrs, 10 + vendor.length);
  return out;
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
