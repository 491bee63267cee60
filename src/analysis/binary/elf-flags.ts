// Decodes the machine-specific e_flags: ARM EABI version and float ABI, MIPS ISA level and ABI,
// RISC-V float ABI. These distinguish builds that share one e_machine (mips1 o32 vs mips32r2).

export interface ArmFlags {
  /** EABI version 0..5 from the top byte; 0 means the old (pre-EABI, "OABI") GNU ABI. */
  readonly eabiVersion: number;
  readonly floatAbi: 'hard' | 'soft' | null;
  readonly be8: boolean;
}

export function decodeArmFlags(flags: number): ArmFlags {
  const eabiVersion = flags >>> 24;
  const floatAbi = eabiVersion >= 5 ? (flags & 0x400 ? 'hard' : flags & 0x200 ? 'soft' : null) : null;
  return { eabiVersion, floatAbi, be8: (flags & 0x00800000) !== 0 };
}

export interface MipsFlags {
  readonly isa: string;
  readonly abi: string | null;
  readonly notes: readonly string[];
}

const MIPS_ISA = ['MIPS-I', 'MIPS-II', 'MIPS-III', 'MIPS-IV', 'MIPS-V', 'MIPS32', 'MIPS64', 'MIPS32r2', 'MIPS64r2', 'MIPS32r6', 'MIPS64r6'];
const MIPS_ABI = new Map<number, string>([[0x1000, 'o32'], [0x2000, 'o64'], [0x3000, 'eabi32'], [0x4000, 'eabi64']]);
const MIPS_NOTES: readonly [number, string][] = [
  [0x1, 'noreorder'], [0x2, 'pic'], [0x4, 'cpic'], [0x100, '32bitmode'], [0x200, 'fp64'], [0x400, 'nan2008'],
  [0x02000000, 'micromips'], [0x04000000, 'mips16'], [0x08000000, 'mdmx'],
];

export function decodeMipsFlags(flags: number, bits: 32 | 64): MipsFlags {
  const isaIndex = flags >>> 28;
  const isa = MIPS_ISA[isaIndex] ?? `MIPS ISA ${isaIndex}`;
  let abi = MIPS_ABI.get(flags & 0xf000) ?? null;
  if (flags & 0x20) abi = 'n32';
  // No ABI bits: 32-bit objects are o32, 64-bit ones n64, which is what the toolchains mean.
  abi ??= bits === 32 ? 'o32' : 'n64';
  return { isa, abi, notes: MIPS_NOTES.filter(([bit]) => (flags & bit) !== 0).map(([, n]) => n) };
}

export interface RiscvFlags {
  readonly floatAbi: 'soft' | 'single' | 'double' | 'quad';
  readonly compressed: boolean;
  readonly rve: boolean;
}

export function decodeRiscvFlags(flags: number): RiscvFlags {
  const abis = ['soft', 'single', 'double', 'quad'] as const;
  return { floatAbi: abis[(flags >>> 1) & 3] ?? 'soft', compressed: (flags & 1) !== 0, rve: (flags & 8) !== 0 };
}
