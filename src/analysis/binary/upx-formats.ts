// UPX's format and compression-method numbers (from UPX's conf.h, "DO NOT CHANGE" values), as
// data: they identify a genuine PackHeader and say which target and codec the packer used.

export const UPX_FORMATS: ReadonlyMap<number, string> = new Map([
  [1, 'dos/com'], [2, 'dos/sys'], [3, 'dos/exe'], [4, 'djgpp2/coff'], [5, 'watcom/le'], [6, 'vxd/le'],
  [8, 'tmt/adam'], [9, 'win32/pe'], [10, 'linux/i386'], [12, 'linux/elf386'], [13, 'linux/sep386'],
  [14, 'linux/sh386'], [15, 'vmlinuz/i386'], [16, 'bvmlinuz/i386'], [17, 'elks/8086'], [18, 'ps1/exe'],
  [19, 'vmlinux/i386'], [20, 'linux/elfi386'], [21, 'wince/arm'], [22, 'linux/amd64'], [23, 'linux/arm'],
  [24, 'bsd/i386'], [25, 'bsd/elf386'], [26, 'bsd/sh386'], [27, 'vmlinux/amd64'], [28, 'vmlinux/arm'],
  [29, 'macho/i386'], [30, 'linux/mipsel'], [31, 'vmlinuz/arm'], [32, 'macho/arm'], [33, 'dylib/i386'],
  [34, 'macho/amd64'], [35, 'dylib/amd64'], [36, 'win64/pe'], [37, 'macho/arm64'], [39, 'linux/ppc64le'],
  [40, 'vmlinux/ppc64le'], [42, 'linux/arm64'], [43, 'win64/arm64'],
  [129, 'atari/tos'], [130, 'solaris/sparc'], [131, 'macho/ppc32'], [132, 'linux/ppc32'], [133, 'linux/armeb'],
  [134, 'macho/fat'], [135, 'vmlinux/armeb'], [136, 'vmlinux/ppc32'], [137, 'linux/mips'], [138, 'dylib/ppc32'],
  [139, 'macho/ppc64'], [140, 'linux/ppc64'], [141, 'vmlinux/ppc64'], [142, 'dylib/ppc64'],
]);

export const UPX_METHODS: ReadonlyMap<number, string> = new Map([
  [2, 'NRV2B_LE32'], [3, 'NRV2B_8'], [4, 'NRV2B_LE16'], [5, 'NRV2D_LE32'], [6, 'NRV2D_8'], [7, 'NRV2D_LE16'],
  [8, 'NRV2E_LE32'], [9, 'NRV2E_8'], [10, 'NRV2E_LE16'], [14, 'LZMA'], [15, 'DEFLATE'], [16, 'ZSTD'],
]);

export interface PackHeader {
  readonly offset: number;
  /** The 4 magic bytes as found ("UPX!" unless a packer-modifying bot changed them). */
  readonly magic: Uint8Array;
  readonly version: number;
  readonly format: number;
  readonly method: number;
  readonly level: number;
  readonly uncompressedLength: number;
  readonly compressedLength: number;
  readonly originalFileSize: number;
  readonly filter: number;
}

/** Size of the PackHeader UPX ≥ 1.0 writes for every non-DOS format. */
export const PACK_HEADER_SIZE = 32;

/**
 * Decodes a 32-byte PackHeader at `at` when its structure is genuine: header version ≥ 10, a known
 * format, and the checksum UPX keeps in the last byte (sum of bytes 4..30 mod 251). The magic itself
 * is not checked, so a header whose "UPX!" a bot overwrote is still recognised.
 */
export function readPackHeader(bytes: Uint8Array, at: number): PackHeader | null {
  if (at < 0 || at + PACK_HEADER_SIZE > bytes.length) return null;
  const p = bytes.subarray(at, at + PACK_HEADER_SIZE);
  const version = p[4] ?? 0;
  const format = p[5] ?? 0;
  if (version < 10 || version > 40 || !UPX_FORMATS.has(format) || format <= 8) return null;
  let sum = 0;
  for (let i = 4; i < PACK_HEADER_SIZE - 1; i++) sum += p[i] ?? 0;
  if (sum % 251 !== p[PACK_HEADER_SIZE - 1]) return null;
  const v = new DataView(p.buffer, p.byteOffset, PACK_HEADER_SIZE);
  const le = format < 128;
  return {
    offset: at,
    magic: p.slice(0, 4),
    version,
    format,
    method: p[6] ?? 0,
    level: p[7] ?? 0,
    uncompressedLength: le ? v.getUint32(16, true) : v.getUint32(8, false),
    compressedLength: le ? v.getUint32(20, true) : v.getUint32(12, false),
    originalFileSize: v.getUint32(24, le),
    filter: p[28] ?? 0,
  };
}
