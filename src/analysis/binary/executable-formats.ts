// One-line descriptions of the non-ELF executable formats a honeypot still receives: Windows PE
// (MZ) droppers and Mach-O binaries (CAFEBABE is shared with Java class files and told apart here).
import { BoundedReader } from './bounded-reader.ts';

const PE_MACHINES = new Map<number, string>([
  [0x14c, 'Intel 80386'], [0x8664, 'x86-64'], [0x1c0, 'ARM'], [0x1c4, 'ARMv7 Thumb'], [0xaa64, 'Aarch64'],
  [0x200, 'Intel Itanium'], [0x166, 'MIPS R4000'], [0x1f0, 'PowerPC'],
]);

/** "PE32 executable (GUI) Intel 80386, for MS Windows" or "MS-DOS executable". */
export function describePe(bytes: Uint8Array): string {
  const r = new BoundedReader(bytes, true);
  const pe = r.u32(0x3c);
  if (pe === undefined || pe < 0x40 || r.u32(pe) !== 0x00004550) return 'MS-DOS executable';
  const machine = r.u16(pe + 4);
  const characteristics = r.u16(pe + 22) ?? 0;
  const magic = r.u16(pe + 24);
  const subsystem = r.u16(pe + 24 + 68);
  const kind = magic === 0x20b ? 'PE32+' : magic === 0x10b ? 'PE32' : 'PE';
  const what = (characteristics & 0x2000) !== 0 ? 'DLL' : 'executable';
  const ui = subsystem === 2 ? ' (GUI)' : subsystem === 3 ? ' (console)' : '';
  const cpu = machine === undefined ? 'unknown machine' : (PE_MACHINES.get(machine) ?? `machine 0x${machine.toString(16)}`);
  return `${kind} ${what}${ui} ${cpu}, for MS Windows`;
}

const MACHO_CPUS = new Map<number, string>([
  [7, 'i386'], [0x01000007, 'x86_64'], [12, 'arm'], [0x0100000c, 'arm64'], [0x0200000c, 'arm64_32'], [18, 'ppc'], [0x01000012, 'ppc64'],
]);
const MACHO_TYPES = new Map<number, string>([[1, 'object'], [2, 'executable'], [6, 'dynamically linked shared library'], [8, 'bundle']]);

export function describeMachO(bytes: Uint8Array): { kind: 'mach-o' | 'data'; description: string } | null {
  if (bytes.length < 8) return null;
  const be = new BoundedReader(bytes, false);
  const magic = be.u32(0);
  if (magic === 0xcafebabe) {
    // Fat Mach-O counts architectures (a handful); a Java class has its version (≥ 45) there.
    const n = be.u32(4) ?? 0;
    if (n >= 1 && n < 30) return { kind: 'mach-o', description: `Mach-O universal binary with ${n} architecture${n === 1 ? '' : 's'}` };
    return { kind: 'data', description: `compiled Java class data, version ${be.u16(6) ?? 0}.${be.u16(4) ?? 0}` };
  }
  const variants = new Map<number | undefined, { bits: number; little: boolean }>([
    [0xfeedface, { bits: 32, little: false }], [0xfeedfacf, { bits: 64, little: false }],
    [0xcefaedfe, { bits: 32, little: true }], [0xcffaedfe, { bits: 64, little: true }],
  ]);
  const v = variants.get(magic);
  if (v === undefined) return null;
  const r = new BoundedReader(bytes, v.little);
  const cpu = r.u32(4);
  const type = r.u32(12);
  const cpuName = cpu === undefined ? 'unknown' : (MACHO_CPUS.get(cpu) ?? `cpu 0x${cpu.toString(16)}`);
  const typeName = type === undefined ? 'file' : (MACHO_TYPES.get(type) ?? `file type ${type}`);
  return { kind: 'mach-o', description: `Mach-O ${v.bits}-bit ${cpuName} ${typeName}` };
}
