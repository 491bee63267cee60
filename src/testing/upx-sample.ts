// Test helper: a synthetic UPX-packed ELF with UPX's structures where UPX puts them: l_info + p_info after the
// program headers, b_info, the $Info/$Id loader strings, and the EOF b_info + checksummed PackHeader at the end.
import { buildElf } from './elf-builder.ts';

export interface UpxSampleSpec {
  readonly bits?: 32 | 64;
  readonly endian?: 'little' | 'big';
  readonly machine?: number;
  /** UPX format number (23 linux/arm, 137 linux/mips, 22 linux/amd64). */
  readonly format?: number;
  /** Replaces "UPX!" everywhere (4 chars, each taken as one byte), as Mirai builders do to stop `upx -d`. */
  readonly magic?: string;
  /** Release put into the loader's $Id string; null leaves both loader strings out. */
  readonly version?: string | null;
  readonly originalSize?: number;
  readonly method?: number;
  /** Zero bytes after the trailer (UPX tolerates page padding). */
  readonly zeroPadding?: number;
  /** Break the PackHeader checksum. */
  readonly corruptChecksum?: boolean;
}

const enc = new TextEncoder();

export function buildUpxElf(spec: UpxSampleSpec = {}): Uint8Array {
  const little = (spec.endian ?? 'little') === 'little';
  const magic = Uint8Array.from(spec.magic ?? 'UPX!', (c) => c.charCodeAt(0) & 0xff);
  const format = spec.format ?? 23;
  const originalSize = spec.originalSize ?? 123_456;
  const te32 = (v: DataView, at: number, x: number): void => v.setUint32(at, x, little);

  // l_info (12) + p_info (12) + b_info (12) + compressed bytes + loader.
  const version = spec.version === undefined ? '3.94' : spec.version;
  const loaderText = version === null ? '' : `$Info: This file is packed with the UPX executable packer http://upx.sf.net $\n\0$Id: UPX ${version} Copyright (C) 1996-2017 the UPX Team. All Rights Reserved. $\n\0`;
  const compressed = new Uint8Array(256).map((_, i) => (i * 73 + 41) & 0xff);
  const head = new Uint8Array(36 + compressed.length + loaderText.length + 64);
  const hv = new DataView(head.buffer);
  hv.setUint32(0, 0x1234abcd, true); // l_checksum
  head.set(magic, 4); // l_magic
  hv.setUint16(8, 0x0d00, true); // l_lsize
  head[10] = 13; // l_version
  head[11] = format; // l_format
  te32(hv, 12, 0); // p_progid
  te32(hv, 16, originalSize); // p_filesize
  te32(hv, 20, originalSize); // p_blocksize
  te32(hv, 24, originalSize); // b_info.sz_unc
  te32(hv, 28, compressed.length); // b_info.sz_cpr
  head.set([spec.method ?? 8, 0x49, 0x0a, 0], 32);
  head.set(compressed, 36);
  head.set(enc.encode(loaderText), 36 + compressed.length);

  // EOF b_info {sz_unc 0, sz_cpr magic}, PackHeader, overlay offset, optional zero padding.
  const tail = new Uint8Array(12 + 32 + 4 + (spec.zeroPadding ?? 0));
  const tv = new DataView(tail.buffer);
  tail.set(magic, 4);
  const ph = 12;
  tail.set(magic, ph);
  tail.set([13, format, spec.method ?? 8, 8], ph + 4);
  if (format < 128) {
    tv.setUint32(ph + 8, 0xaaaa5555, true); // u_adler
    tv.setUint32(ph + 12, 0x5555aaaa, true); // c_adler
    tv.setUint32(ph + 16, originalSize - 200, true); // u_len
    tv.setUint32(ph + 20, compressed.length, true); // c_len
    tv.setUint32(ph + 24, originalSize, true); // u_file_size
  } else {
    tv.setUint32(ph + 8, originalSize - 200, false);
    tv.setUint32(ph + 12, compressed.length, false);
    tv.setUint32(ph + 16, 0xaaaa5555, false);
    tv.setUint32(ph + 20, 0x5555aaaa, false);
    tv.setUint32(ph + 24, originalSize, false);
  }
  tail.set([0x49, 0x0a, 0], ph + 28); // filter, filter_cto, n_mru
  let sum = 0;
  for (let i = 4; i < 31; i++) sum += tail[ph + i] ?? 0;
  tail[ph + 31] = (sum % 251) + (spec.corruptChecksum === true ? 1 : 0);
  te32(tv, ph + 32, 0x1f4); // overlay_offset

  return buildElf({
    bits: spec.bits ?? 32,
    endian: spec.endian ?? 'little',
    machine: spec.machine ?? 40,
    flags: (spec.machine ?? 40) === 40 ? 0x05000000 : 0,
    entry: 0xc0e8,
    segments: [{ type: 1, flags: 5 }, { type: 1, flags: 6, offset: 0, filesz: 0, memsz: 0x1000, vaddr: 0x30000 }],
    sectionHeaders: false,
    afterHeaders: head,
    trailer: tail,
  });
}
