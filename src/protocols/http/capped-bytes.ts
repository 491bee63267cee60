// A byte buffer for HTTP parsing that never holds more than its cap: it grows by doubling up to the
// cap and gives its memory back when cleared, so an idle keep-alive session holds little.

export interface CappedBytes {
  readonly length: number;
  /** Copies bytes[start, end) until the cap is reached; returns how many were kept. */
  append(bytes: Uint8Array, start?: number, end?: number): number;
  view(): Uint8Array;
  latin1(start?: number, end?: number): string;
  /** Keeps only the first `length` bytes. */
  truncate(length: number): void;
  clear(): void;
  /** Bytes allocated (for memory accounting in tests). */
  readonly allocated: number;
}

const INITIAL = 256;

export function createCappedBytes(cap: number): CappedBytes {
  let buffer = Buffer.alloc(0);
  let length = 0;
  return {
    get length() {
      return length;
    },
    get allocated() {
      return buffer.length;
    },
    append(bytes, start = 0, end = bytes.length) {
      const count = Math.max(0, Math.min(end - start, cap - length));
      if (count === 0) return 0;
      if (length + count > buffer.length) {
        let size = Math.max(INITIAL, buffer.length);
        while (size < length + count) size *= 2;
        const grown = Buffer.alloc(Math.min(size, cap));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
      buffer.set(bytes.subarray(start, start + count), length);
      length += count;
      return count;
    },
    view: () => buffer.subarray(0, length),
    latin1: (start = 0, end = length) => buffer.toString('latin1', start, Math.min(end, length)),
    truncate(to) {
      length = Math.max(0, Math.min(length, to));
    },
    clear() {
      length = 0;
      if (buffer.length > INITIAL * 4) buffer = Buffer.alloc(0);
    },
  };
}
