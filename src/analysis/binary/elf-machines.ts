// e_machine numbers and the names analysts use for them, as data. `arch` is the short tag bots
// and build scripts use (arm, mips, mpsl...), with an endian-specific variant where the CPU has one.

export interface MachineInfo {
  /** Human name as `file`/readelf print it. */
  readonly name: string;
  /** Short architecture tag; `archLittle`/`archBig` override it for that byte order. */
  readonly arch: string;
  readonly archLittle?: string;
  readonly archBig?: string;
  /** Name when the ELF is little-endian, for CPUs whose LE flavour has its own name (MIPSEL). */
  readonly nameLittle?: string;
  readonly nameBig?: string;
}

export const ELF_MACHINES: ReadonlyMap<number, MachineInfo> = new Map<number, MachineInfo>([
  [0, { name: 'No machine', arch: 'none' }],
  [1, { name: 'AT&T WE 32100', arch: 'm32' }],
  [2, { name: 'SPARC', arch: 'sparc' }],
  [3, { name: 'Intel 80386', arch: 'x86' }],
  [4, { name: 'Motorola m68k', arch: 'm68k' }],
  [5, { name: 'Motorola m88k', arch: 'm88k' }],
  [6, { name: 'Intel MCU', arch: 'iamcu' }],
  [7, { name: 'Intel 80860', arch: 'i860' }],
  [8, { name: 'MIPS', arch: 'mips', archLittle: 'mipsel', nameLittle: 'MIPSEL (MIPS, little-endian)', nameBig: 'MIPS (big-endian)' }],
  [9, { name: 'IBM System/370', arch: 's370' }],
  [10, { name: 'MIPS R3000 little-endian', arch: 'mipsel' }],
  [15, { name: 'HP PA-RISC', arch: 'parisc' }],
  [17, { name: 'Fujitsu VPP500', arch: 'vpp500' }],
  [18, { name: 'SPARC32PLUS (v8+)', arch: 'sparc' }],
  [19, { name: 'Intel 80960', arch: 'i960' }],
  [20, { name: 'PowerPC', arch: 'powerpc', archLittle: 'powerpcle' }],
  [21, { name: 'PowerPC64', arch: 'powerpc64', archLittle: 'powerpc64le', nameLittle: 'PowerPC64 (little-endian)' }],
  [22, { name: 'IBM S/390', arch: 's390' }],
  [23, { name: 'IBM SPU/SPC', arch: 'spu' }],
  [36, { name: 'NEC V800', arch: 'v800' }],
  [37, { name: 'Fujitsu FR20', arch: 'fr20' }],
  [38, { name: 'TRW RH-32', arch: 'rh32' }],
  [39, { name: 'Motorola RCE', arch: 'rce' }],
  [40, { name: 'ARM', arch: 'arm', archBig: 'armeb', nameBig: 'ARM (big-endian)' }],
  [41, { name: 'Digital Alpha (old)', arch: 'alpha' }],
  [42, { name: 'Renesas SuperH', arch: 'sh4', archBig: 'sh4eb' }],
  [43, { name: 'SPARC V9', arch: 'sparc64' }],
  [44, { name: 'Siemens TriCore', arch: 'tricore' }],
  [45, { name: 'Argonaut RISC Core (ARC)', arch: 'arc' }],
  [46, { name: 'Renesas H8/300', arch: 'h8300' }],
  [47, { name: 'Renesas H8/300H', arch: 'h8300h' }],
  [48, { name: 'Renesas H8S', arch: 'h8s' }],
  [49, { name: 'Renesas H8/500', arch: 'h8500' }],
  [50, { name: 'Intel IA-64', arch: 'ia64' }],
  [51, { name: 'Stanford MIPS-X', arch: 'mipsx' }],
  [52, { name: 'Motorola ColdFire', arch: 'coldfire' }],
  [53, { name: 'Motorola M68HC12', arch: 'm68hc12' }],
  [54, { name: 'Fujitsu MMA', arch: 'mma' }],
  [55, { name: 'Siemens PCP', arch: 'pcp' }],
  [56, { name: 'Sony nCPU', arch: 'ncpu' }],
  [57, { name: 'Denso NDR1', arch: 'ndr1' }],
  [58, { name: 'Motorola Star*Core', arch: 'starcore' }],
  [59, { name: 'Toyota ME16', arch: 'me16' }],
  [60, { name: 'STMicroelectronics ST100', arch: 'st100' }],
  [61, { name: 'Advanced Logic TinyJ', arch: 'tinyj' }],
  [62, { name: 'x86-64', arch: 'x86-64' }],
  [63, { name: 'Sony DSP', arch: 'pdsp' }],
  [64, { name: 'DEC PDP-10', arch: 'pdp10' }],
  [65, { name: 'DEC PDP-11', arch: 'pdp11' }],
  [66, { name: 'Siemens FX66', arch: 'fx66' }],
  [67, { name: 'STMicroelectronics ST9+', arch: 'st9plus' }],
  [68, { name: 'STMicroelectronics ST7', arch: 'st7' }],
  [69, { name: 'Motorola MC68HC16', arch: 'm68hc16' }],
  [70, { name: 'Motorola MC68HC11', arch: 'm68hc11' }],
  [71, { name: 'Motorola MC68HC08', arch: 'm68hc08' }],
  [72, { name: 'Motorola MC68HC05', arch: 'm68hc05' }],
  [73, { name: 'Silicon Graphics SVx', arch: 'svx' }],
  [74, { name: 'STMicroelectronics ST19', arch: 'st19' }],
  [75, { name: 'Digital VAX', arch: 'vax' }],
  [76, { name: 'Axis CRIS', arch: 'cris' }],
  [77, { name: 'Infineon Javelin', arch: 'javelin' }],
  [78, { name: 'Element 14 FirePath', arch: 'firepath' }],
  [79, { name: 'LSI Logic ZSP', arch: 'zsp' }],
  [80, { name: 'Knuth MMIX', arch: 'mmix' }],
  [81, { name: 'Harvard HUANY', arch: 'huany' }],
  [82, { name: 'SiTera Prism', arch: 'prism' }],
  [83, { name: 'Atmel AVR', arch: 'avr' }],
  [84, { name: 'Fujitsu FR30', arch: 'fr30' }],
  [85, { name: 'Mitsubishi D10V', arch: 'd10v' }],
  [86, { name: 'Mitsubishi D30V', arch: 'd30v' }],
  [87, { name: 'NEC v850', arch: 'v850' }],
  [88, { name: 'Renesas M32R', arch: 'm32r' }],
  [89, { name: 'Matsushita MN10300', arch: 'mn10300' }],
  [90, { name: 'Matsushita MN10200', arch: 'mn10200' }],
  [91, { name: 'picoJava', arch: 'picojava' }],
  [92, { name: 'OpenRISC', arch: 'openrisc' }],
  [93, { name: 'ARCompact (ARC700)', arch: 'arc' }],
  [94, { name: 'Tensilica Xtensa', arch: 'xtensa' }],
  [95, { name: 'Alphamosaic VideoCore', arch: 'videocore' }],
  [97, { name: 'National Semiconductor 32000', arch: 'ns32k' }],
  [100, { name: 'STMicroelectronics ST200', arch: 'st200' }],
  [101, { name: 'Ubicom IP2xxx', arch: 'ip2k' }],
  [103, { name: 'National Semiconductor CompactRISC', arch: 'cr' }],
  [105, { name: 'TI MSP430', arch: 'msp430' }],
  [106, { name: 'Analog Devices Blackfin', arch: 'blackfin' }],
  [110, { name: 'MPRC UniCore', arch: 'unicore' }],
  [113, { name: 'Altera Nios II', arch: 'nios2' }],
  [138, { name: 'Lattice Mico32', arch: 'lm32' }],
  [140, { name: 'TI C6000 DSP', arch: 'c6x' }],
  [164, { name: 'Qualcomm Hexagon', arch: 'hexagon' }],
  [167, { name: 'Andes NDS32', arch: 'nds32' }],
  [173, { name: 'Renesas RX', arch: 'rx' }],
  [174, { name: 'Imagination Meta', arch: 'metag' }],
  [175, { name: 'MCST Elbrus', arch: 'e2k' }],
  [183, { name: 'AArch64', arch: 'aarch64', archBig: 'aarch64_be', nameBig: 'AArch64 (big-endian)' }],
  [185, { name: 'Atmel AVR32', arch: 'avr32' }],
  [186, { name: 'STMicroelectronics STM8', arch: 'stm8' }],
  [188, { name: 'Tilera TILEPro', arch: 'tilepro' }],
  [189, { name: 'Xilinx MicroBlaze', arch: 'microblaze', archLittle: 'microblazeel' }],
  [190, { name: 'NVIDIA CUDA', arch: 'cuda' }],
  [191, { name: 'Tilera TILE-Gx', arch: 'tilegx' }],
  [195, { name: 'ARCv2 (ARC HS/EM)', arch: 'arcv2' }],
  [197, { name: 'Renesas RL78', arch: 'rl78' }],
  [220, { name: 'Zilog Z80', arch: 'z80' }],
  [223, { name: 'Moxie', arch: 'moxie' }],
  [224, { name: 'AMD GPU', arch: 'amdgpu' }],
  [243, { name: 'RISC-V', arch: 'riscv' }],
  [247, { name: 'Linux BPF', arch: 'bpf' }],
  [252, { name: 'C-SKY', arch: 'csky' }],
  [253, { name: 'ARCv3 64-bit', arch: 'arc64' }],
  [255, { name: 'ARCv3 32-bit', arch: 'arc32' }],
  [258, { name: 'LoongArch', arch: 'loongarch' }],
  [0x9026, { name: 'Alpha', arch: 'alpha' }],
  [0x9041, { name: 'Renesas M32R (old)', arch: 'm32r' }],
  [0xa390, { name: 'IBM S/390 (old)', arch: 's390' }],
  [0xbaab, { name: 'Xilinx MicroBlaze (old)', arch: 'microblaze' }],
]);

export interface MachineName {
  readonly value: number;
  readonly name: string;
  readonly arch: string;
  readonly known: boolean;
}

/** Names e_machine for the given class and byte order (MIPS LE is "MIPSEL", RISC-V gets 32/64). */
export function describeMachine(value: number, bits: 32 | 64, little: boolean): MachineName {
  const info = ELF_MACHINES.get(value);
  if (info === undefined) return { value, name: `unknown machine ${value} (0x${value.toString(16)})`, arch: 'unknown', known: false };
  let name = (little ? info.nameLittle : info.nameBig) ?? info.name;
  let arch = (little ? info.archLittle : info.archBig) ?? info.arch;
  if (value === 8 && bits === 64) {
    name = little ? 'MIPS64EL (MIPS64, little-endian)' : 'MIPS64 (big-endian)';
    arch = little ? 'mips64el' : 'mips64';
  } else if (value === 243 || value === 258) {
    arch = `${arch}${bits}`;
  } else if (value === 22 && bits === 64) {
    arch = 's390x';
  }
  return { value, name, arch, known: true };
}
