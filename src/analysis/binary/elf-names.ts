// Names for the small ELF enumerations (OS/ABI, file type, section and segment types, flags), as
// readelf prints them, so reports read the way analysts expect.

const OS_ABI = new Map<number, string>([
  [0, 'SYSV'], [1, 'HP-UX'], [2, 'NetBSD'], [3, 'GNU/Linux'], [4, 'GNU/Hurd'], [6, 'Solaris'], [7, 'AIX'],
  [8, 'IRIX'], [9, 'FreeBSD'], [10, 'Tru64'], [11, 'Novell Modesto'], [12, 'OpenBSD'], [13, 'OpenVMS'],
  [14, 'HP NonStop Kernel'], [15, 'AROS'], [16, 'FenixOS'], [17, 'CloudABI'], [18, 'OpenVOS'], [97, 'ARM'],
  [255, 'Standalone'],
]);

export function osAbiName(value: number, machine: number): string {
  if (value === 64) return machine === 40 ? 'ARM EABI' : machine === 140 ? 'C6000 ELFABI' : 'machine-specific (64)';
  return OS_ABI.get(value) ?? `unknown OS/ABI ${value}`;
}

export type ElfTypeName = 'NONE' | 'REL' | 'EXEC' | 'DYN' | 'CORE' | 'OS-specific' | 'processor-specific' | 'unknown';

export function elfTypeName(value: number): ElfTypeName {
  switch (value) {
    case 0: return 'NONE';
    case 1: return 'REL';
    case 2: return 'EXEC';
    case 3: return 'DYN';
    case 4: return 'CORE';
    default:
      if (value >= 0xfe00 && value <= 0xfeff) return 'OS-specific';
      if (value >= 0xff00) return 'processor-specific';
      return 'unknown';
  }
}

const SECTION_TYPES = new Map<number, string>([
  [0, 'NULL'], [1, 'PROGBITS'], [2, 'SYMTAB'], [3, 'STRTAB'], [4, 'RELA'], [5, 'HASH'], [6, 'DYNAMIC'],
  [7, 'NOTE'], [8, 'NOBITS'], [9, 'REL'], [10, 'SHLIB'], [11, 'DYNSYM'], [14, 'INIT_ARRAY'],
  [15, 'FINI_ARRAY'], [16, 'PREINIT_ARRAY'], [17, 'GROUP'], [18, 'SYMTAB_SHNDX'], [19, 'RELR'],
  [0x6ffffff6, 'GNU_HASH'], [0x6ffffffd, 'VERDEF'], [0x6ffffffe, 'VERNEED'], [0x6fffffff, 'VERSYM'],
  [0x6ffffff5, 'GNU_ATTRIBUTES'], [0x70000003, 'ARM_ATTRIBUTES'],
  [0x7000002a, 'MIPS_ABIFLAGS'], [0x70000006, 'MIPS_REGINFO'],
]);

export function sectionTypeName(value: number, machine: number): string {
  if (value === 0x70000001) return machine === 40 ? 'ARM_EXIDX' : machine === 62 ? 'X86_64_UNWIND' : 'LOPROC+1';
  if (value === 0x70000003 && machine !== 40) return 'LOPROC+3';
  const known = SECTION_TYPES.get(value);
  if (known !== undefined) return known;
  if (value >= 0x60000000 && value < 0x70000000) return `LOOS+0x${(value - 0x60000000).toString(16)}`;
  if (value >= 0x70000000 && value < 0x80000000) return `LOPROC+0x${(value - 0x70000000).toString(16)}`;
  return `0x${value.toString(16)}`;
}

const SEGMENT_TYPES = new Map<number, string>([
  [0, 'NULL'], [1, 'LOAD'], [2, 'DYNAMIC'], [3, 'INTERP'], [4, 'NOTE'], [5, 'SHLIB'], [6, 'PHDR'], [7, 'TLS'],
  [0x6474e550, 'GNU_EH_FRAME'], [0x6474e551, 'GNU_STACK'], [0x6474e552, 'GNU_RELRO'], [0x6474e553, 'GNU_PROPERTY'],
  [0x70000000, 'LOPROC'], [0x70000001, 'ARM_EXIDX'], [0x70000003, 'MIPS_ABIFLAGS'],
]);

export function segmentTypeName(value: number): string {
  return SEGMENT_TYPES.get(value) ?? `0x${value.toString(16)}`;
}

/** Section flags in readelf's letters: W write, A alloc, X exec, M merge, S strings, T TLS... */
export function sectionFlagLetters(flags: number): string {
  const letters: [number, string][] = [[0x1, 'W'], [0x2, 'A'], [0x4, 'X'], [0x10, 'M'], [0x20, 'S'], [0x40, 'I'], [0x80, 'L'], [0x200, 'G'], [0x400, 'T'], [0x800, 'C']];
  return letters.filter(([bit]) => (flags & bit) !== 0).map(([, l]) => l).join('');
}

/** Segment permissions as "R-X". */
export function segmentFlagLetters(flags: number): string {
  return `${flags & 4 ? 'R' : '-'}${flags & 2 ? 'W' : '-'}${flags & 1 ? 'X' : '-'}`;
}
