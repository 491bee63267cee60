// Detects UPX from the packer's own structures (l_info after the program headers, the checksummed PackHeader
// at the end, so an overwritten "UPX!" is still caught), the $Info/$Id strings, PE UPX0/UPX1; start/end windows only.
import { BoundedReader, printable } from './bounded-reader.ts';
import { isElfMagic } from './elf-header.ts';
import { PACK_HEADER_SIZE, readPackHeader, UPX_FORMATS, UPX_METHODS } from './upx-formats.ts';
import type { PackHeader } from './upx-formats.ts';

/** Bytes searched at each end for the loader strings and PackHeader. */
export const UPX_WINDOW = 64 * 1024;
const MAGIC = new Uint8Array([0x55, 0x50, 0x58, 0x21]); // "UPX!"
const INFO = new TextEncoder().encode('$Info: This file is packed with the UPX');
const ID = new TextEncoder().encode('$Id: UPX ');
/** PackHeader + overlay offset that UPX writes last in ELF output (before any zero padding). */
const TRAILER = PACK_HEADER_SIZE + 4;
/** Zero padding after the trailer UPX itself tolerates (Mac code signing pads a page). */
const MAX_ZERO_PAD = 2 * 4096;

export interface UpxInfo {
  readonly packed: boolean;
  /** Which structures were found, e.g. "l_info after program headers", "PackHeader at 12345". */
  readonly evidence: readonly string[];
  /** UPX release from the loader's "$Id: UPX 3.94 ..." (or the PE version tag), when present. */
  readonly version: string | null;
  readonly format: { readonly value: number; readonly name: string } | null;
  readonly method: { readonly value: number; readonly name: string } | null;
  readonly level: number | null;
  /** Size of the file before packing (PackHeader u_file_size, else p_info p_filesize). */
  readonly originalSize: number | null;
  /** True when the structures are intact but the "UPX!" magic was replaced (defeats `upx -d`). */
  readonly magicAltered: boolean;
  /** The magic found in place of "UPX!", printable-escaped. */
  readonly magic: string | null;
  /** File offsets holding the altered magic, so an unpacker can restore "UPX!" on a copy. */
  readonly alteredMagicOffsets: readonly number[];
}

export function detectUpx(bytes: Uint8Array): UpxInfo {
  const evidence: string[] = [];
  const head = bytes.subarray(0, Math.min(bytes.length, UPX_WINDOW));
  const tail = bytes.subarray(Math.max(0, bytes.length - UPX_WINDOW));
  const tailStart = bytes.length - tail.length;

  const linfo = readLinfo(bytes);
  if (linfo !== null && equal(linfo.magic, MAGIC)) evidence.push(`l_info after program headers at ${linfo.offset}`);

  const ph = findPackHeader(bytes, tail, tailStart);
  let magicAltered = false;
  const alteredMagicOffsets: number[] = [];
  if (ph !== null) {
    if (equal(ph.magic, MAGIC)) {
      evidence.push(`PackHeader at ${ph.offset}`);
    } else {
      // An altered magic only counts when a second UPX structure carries the same 4 bytes.
      const eofMarker = ph.offset - 8;
      const markerMatches = eofMarker >= 4 && equal(bytes.subarray(eofMarker, eofMarker + 4), ph.magic) && isZero(bytes.subarray(eofMarker - 4, eofMarker));
      const linfoMatches = linfo !== null && equal(linfo.magic, ph.magic);
      if (markerMatches || linfoMatches) {
        magicAltered = true;
        alteredMagicOffsets.push(ph.offset);
        if (markerMatches) alteredMagicOffsets.push(eofMarker);
        if (linfoMatches) alteredMagicOffsets.push(linfo.offset + 4);
        evidence.push(`PackHeader at ${ph.offset} with altered magic`);
      }
    }
  }
  const usable = ph !== null && (equal(ph.magic, MAGIC) || magicAltered) ? ph : null;

  if (indexOf(head, INFO) >= 0 || indexOf(tail, INFO) >= 0) evidence.push('UPX $Info string');
  const version = loaderVersion(head) ?? loaderVersion(tail) ?? (usable === null ? null : peVersionTag(bytes, usable.offset));
  if (hasUpxPeSections(bytes)) evidence.push('PE sections named UPX*');

  const packed = evidence.length > 0;
  const linfoFormat = packed && linfo !== null && UPX_FORMATS.has(linfo.format) ? linfo.format : null;
  const format = usable?.format ?? linfoFormat;
  return {
    packed,
    evidence,
    version,
    format: format === null ? null : { value: format, name: UPX_FORMATS.get(format) ?? `format ${format}` },
    method: usable === null ? null : { value: usable.method, name: UPX_METHODS.get(usable.method) ?? `method ${usable.method}` },
    level: usable?.level ?? null,
    originalSize: usable?.originalFileSize ?? (packed ? linfo?.originalSize ?? null : null),
    magicAltered,
    magic: usable === null ? (linfo !== null && packed ? printable(linfo.magic) : null) : printable(usable.magic),
    alteredMagicOffsets: alteredMagicOffsets.sort((a, b) => a - b),
  };
}

interface Linfo {
  readonly offset: number;
  readonly magic: Uint8Array;
  readonly format: number;
  readonly originalSize: number | null;
}

/** l_info {checksum, magic, lsize, version, format} then p_info {progid, filesize, blocksize}. */
function readLinfo(bytes: Uint8Array): Linfo | null {
  if (!isElfMagic(bytes) || bytes.length < 52) return null;
  const is64 = bytes[4] === 2;
  const r = new BoundedReader(bytes, bytes[5] !== 2);
  const phoff = r.word(is64 ? 32 : 28, is64);
  const phentsize = r.u16(is64 ? 54 : 42);
  const phnum = r.u16(is64 ? 56 : 44);
  if (phoff === undefined || phentsize === undefined || phnum === undefined) return null;
  const offset = phoff + phentsize * phnum;
  if (!r.has(offset, 12)) return null;
  return {
    offset,
    magic: bytes.slice(offset + 4, offset + 8),
    format: bytes[offset + 11] ?? 0,
    originalSize: r.u32(offset + 16) ?? null,
  };
}

/** The PackHeader UPX writes just before the 4-byte overlay offset, else the last "UPX!" in the tail. */
function findPackHeader(bytes: Uint8Array, tail: Uint8Array, tailStart: number): PackHeader | null {
  let end = bytes.length;
  const floor = Math.max(0, bytes.length - MAX_ZERO_PAD);
  while (end > floor && bytes[end - 1] === 0) end--;
  // Zero bytes of the overlay offset (or the checksum) were stripped too, so try the few nearby starts.
  for (let at = end - PACK_HEADER_SIZE; at >= end - TRAILER - 8; at--) {
    const found = readPackHeader(bytes, at);
    if (found !== null) return found;
  }
  const last = lastIndexOf(tail, MAGIC);
  return last < 0 ? null : readPackHeader(bytes, tailStart + last);
}

function loaderVersion(window: Uint8Array): string | null {
  const at = indexOf(window, ID);
  if (at < 0) return null;
  const text = printable(window.subarray(at + ID.length, Math.min(window.length, at + ID.length + 16)));
  return /^(\d+\.\d+(?:\.\d+)?)/.exec(text)?.[1] ?? null;
}

/** PE packs store the release as "3.96\0" right before the PackHeader. */
function peVersionTag(bytes: Uint8Array, packHeaderAt: number): string | null {
  if (packHeaderAt < 5) return null;
  const tag = printable(bytes.subarray(packHeaderAt - 5, packHeaderAt));
  return /^(\d\.\d\d)\\x00$/.exec(tag)?.[1] ?? null;
}

function hasUpxPeSections(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x4d || bytes[1] !== 0x5a) return false;
  const r = new BoundedReader(bytes, true);
  const pe = r.u32(0x3c);
  if (pe === undefined || r.u32(pe) !== 0x00004550) return false;
  const count = Math.min(r.u16(pe + 6) ?? 0, 96);
  const table = pe + 24 + (r.u16(pe + 20) ?? 0);
  for (let i = 0; i < count; i++) {
    const at = table + i * 40;
    if (!r.has(at, 8)) return false;
    if (bytes[at] === 0x55 && bytes[at + 1] === 0x50 && bytes[at + 2] === 0x58) return true;
  }
  return false;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function isZero(a: Uint8Array): boolean {
  return a.length > 0 && a.every((x) => x === 0);
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(needle);
}

function lastIndexOf(hay: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).lastIndexOf(needle);
}
