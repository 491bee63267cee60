// pcapng block framing (Section Header, Interface Description, Enhanced Packet): the container
// around the synthetic frames of a relay capture. Little-endian, microsecond timestamps.

export const SHB_TYPE = 0x0a0d0d0a;
export const IDB_TYPE = 0x00000001;
export const EPB_TYPE = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const LINKTYPE_ETHERNET = 1;
/** As tcpdump's default: frames of 64 KiB segments plus their headers fit. */
export const SNAPLEN = 262_144;

const OPT_END = 0;
const OPT_COMMENT = 1;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_TSRESOL = 9;

/** The longest comment kept; a note is for the analyst, not a second data channel. */
export const MAX_COMMENT_BYTES = 4096;
/** Fixed EPB fields before the packet data: type, length, interface, ts high/low, caplen, len. */
export const EPB_HEADER = 28;

const utf8 = new TextEncoder();
const pad4 = (n: number): number => (n + 3) & ~3;

export interface BlockOption {
  readonly code: number;
  readonly value: Uint8Array;
}

/** UTF-8 bytes of a comment, cut to the limit on a character boundary. */
export function commentBytes(text: string): Uint8Array {
  const bytes = utf8.encode(text);
  if (bytes.length <= MAX_COMMENT_BYTES) return bytes;
  let end = MAX_COMMENT_BYTES;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--; // never split a multi-byte char
  return bytes.subarray(0, end);
}

export function commentOption(text: string): BlockOption {
  return { code: OPT_COMMENT, value: commentBytes(text) };
}

/** Encoded size of an options list including opt_endofopt; 0 when there are none. */
export function optionsSize(options: readonly BlockOption[]): number {
  if (options.length === 0) return 0;
  return options.reduce((n, o) => n + 4 + pad4(o.value.length), 4);
}

/** Writes options (then opt_endofopt) at `off`; returns the offset after them. */
export function writeOptions(buf: Uint8Array, view: DataView, off: number, options: readonly BlockOption[]): number {
  if (options.length === 0) return off;
  let at = off;
  for (const o of options) {
    view.setUint16(at, o.code, true);
    view.setUint16(at + 2, o.value.length, true);
    buf.set(o.value, at + 4);
    at += 4 + pad4(o.value.length); // padding stays zero: buffers come from new Uint8Array
  }
  view.setUint32(at, OPT_END, true);
  return at + 4;
}

function block(type: number, body: number, fill: (buf: Uint8Array, view: DataView) => void, options: readonly BlockOption[]): Uint8Array {
  const total = 8 + body + optionsSize(options) + 4;
  const buf = new Uint8Array(total);
  const view = new DataView(buf.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, total, true);
  fill(buf, view);
  writeOptions(buf, view, 8 + body, options);
  view.setUint32(total - 4, total, true);
  return buf;
}

/** Section Header Block (section length unknown, as a streaming writer must say) + one Ethernet IDB. */
export function fileHeader(comments: readonly string[], interfaceName: string): Uint8Array {
  const shb = block(
    SHB_TYPE,
    16,
    (_buf, view) => {
      view.setUint32(8, BYTE_ORDER_MAGIC, true);
      view.setUint16(12, 1, true);
      view.setUint16(14, 0, true);
      view.setInt32(16, -1, true); // section length -1: "not specified"
      view.setInt32(20, -1, true);
    },
    [...comments.map(commentOption), { code: SHB_USERAPPL, value: utf8.encode('hachi') }],
  );
  const idb = block(
    IDB_TYPE,
    8,
    (_buf, view) => {
      view.setUint16(8, LINKTYPE_ETHERNET, true);
      view.setUint32(12, SNAPLEN, true);
    },
    [
      { code: IF_NAME, value: utf8.encode(interfaceName) },
      { code: IF_TSRESOL, value: Uint8Array.of(6) }, // 10^-6: the default, said out loud
    ],
  );
  const out = new Uint8Array(shb.length + idb.length);
  out.set(shb, 0);
  out.set(idb, shb.length);
  return out;
}

/** Milliseconds (fractions allowed) to whole microseconds, clamped into what 64 bits and a double hold. */
export function toMicros(tsMs: number): number {
  if (!Number.isFinite(tsMs) || tsMs <= 0) return 0;
  return Math.min(Math.round(tsMs * 1000), Number.MAX_SAFE_INTEGER);
}

/** Bytes an EPB takes for a frame of `frameLen` bytes with the given options. */
export function epbSize(frameLen: number, optionsLen: number): number {
  return EPB_HEADER + pad4(frameLen) + optionsLen + 4;
}

/**
 * Writes the EPB fields around a frame that the caller puts at `off + EPB_HEADER`; returns the
 * block's end offset. Options go after the padded frame.
 */
export function writeEpb(buf: Uint8Array, view: DataView, off: number, frameLen: number, micros: number, options: readonly BlockOption[]): number {
  const total = epbSize(frameLen, optionsSize(options));
  const high = Math.floor(micros / 0x1_0000_0000);
  view.setUint32(off, EPB_TYPE, true);
  view.setUint32(off + 4, total, true);
  view.setUint32(off + 8, 0, true); // interface 0: the one IDB
  view.setUint32(off + 12, high, true);
  view.setUint32(off + 16, micros - high * 0x1_0000_0000, true);
  view.setUint32(off + 20, frameLen, true);
  view.setUint32(off + 24, frameLen, true);
  writeOptions(buf, view, off + EPB_HEADER + pad4(frameLen), options);
  view.setUint32(off + total - 4, total, true);
  return off + total;
}
