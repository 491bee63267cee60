// Bounds-checked reads over a sample's bytes: every read past the end yields undefined instead of
// throwing, so parsers of hostile headers can report "truncated" rather than crash.

export class BoundedReader {
  readonly bytes: Uint8Array;
  readonly length: number;
  readonly littleEndian: boolean;
  readonly #view: DataView;

  constructor(bytes: Uint8Array, littleEndian: boolean) {
    this.bytes = bytes;
    this.length = bytes.byteLength;
    this.littleEndian = littleEndian;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** True when [offset, offset + size) lies inside the buffer (size 0 at the very end counts). */
  has(offset: number, size: number): boolean {
    return Number.isSafeInteger(offset) && Number.isSafeInteger(size) && offset >= 0 && size >= 0 && offset + size <= this.length;
  }

  u8(offset: number): number | undefined {
    return this.has(offset, 1) ? this.bytes[offset] : undefined;
  }

  u16(offset: number): number | undefined {
    return this.has(offset, 2) ? this.#view.getUint16(offset, this.littleEndian) : undefined;
  }

  u32(offset: number): number | undefined {
    return this.has(offset, 4) ? this.#view.getUint32(offset, this.littleEndian) : undefined;
  }

  u64(offset: number): bigint | undefined {
    return this.has(offset, 8) ? this.#view.getBigUint64(offset, this.littleEndian) : undefined;
  }

  /** A 32- or 64-bit word as a number; values past 2^53 lose precision, which only matters for
   * addresses (reported in hex from `wordBig`) since such offsets and sizes are out of range anyway. */
  word(offset: number, is64: boolean): number | undefined {
    if (!is64) return this.u32(offset);
    const v = this.u64(offset);
    return v === undefined ? undefined : Number(v);
  }

  wordBig(offset: number, is64: boolean): bigint | undefined {
    if (is64) return this.u64(offset);
    const v = this.u32(offset);
    return v === undefined ? undefined : BigInt(v);
  }

  /** NUL-terminated string starting at `offset`, read at most up to `end` and `max` bytes, made
   * safe to print (see `printable`). Undefined when `offset` is outside the buffer or `end`. */
  cstring(offset: number, end: number, max: number): string | undefined {
    const stop = Math.min(end, this.length, offset + max);
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= stop) return undefined;
    let i = offset;
    while (i < stop && this.bytes[i] !== 0) i++;
    return printable(this.bytes.subarray(offset, i));
  }
}

/** Sample bytes as text that is safe in a terminal, log or HTML-escaped view: printable ASCII is
 * kept, everything else (control characters, escape sequences, high bytes) becomes \xNN. */
export function printable(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b >= 0x20 && b < 0x7f && b !== 0x5c) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** Address in hex, the way readelf and analysts write it. */
export function hex(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}
