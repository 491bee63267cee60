// One file an attacker writes over SFTP, put together from WRITE requests at any offsets (pipelined,
// out of order, overlapping, with holes). Its buffer only grows as far as the highest byte written.

/** Byte ranges written are tracked up to this many separate runs; past it, holes are assumed. */
const MAX_RUNS = 1024;

export interface SftpUpload {
  readonly path: string;
  /** One past the highest byte written (the file's length as far as is known). */
  readonly end: number;
  /** Copies `data` in at `offset`; the caller has checked `offset + data.length` against its limits. */
  write(offset: number, data: Uint8Array): void;
  /** The content; `holes` when some bytes below `end` were never written (they read as zeros here). */
  result(): { readonly bytes: Uint8Array; readonly holes: boolean };
}

export function createSftpUpload(path: string, maxBytes: number): SftpUpload {
  let buffer = new Uint8Array(0);
  let end = 0;
  /** Sorted, non-touching [start, end) runs of written bytes. */
  let runs: [number, number][] = [];
  let runsLost = false;

  // Binary search, then one splice: many small writes from an attacker cost little each.
  const cover = (start: number, stop: number): void => {
    let low = 0;
    let high = runs.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (runs[mid]![1] < start) low = mid + 1;
      else high = mid;
    }
    let last = low;
    let merged: [number, number] = [start, stop];
    while (last < runs.length && runs[last]![0] <= stop) {
      merged = [Math.min(runs[last]![0], merged[0]), Math.max(runs[last]![1], merged[1])];
      last++;
    }
    runs.splice(low, last - low, merged);
    if (runs.length > MAX_RUNS) {
      runsLost = true;
      runs = [];
    }
  };

  return {
    path,
    get end() {
      return end;
    },
    write(offset, data) {
      if (data.length === 0) return; // a write of nothing does not make the file longer
      const stop = offset + data.length;
      if (stop > buffer.length) {
        const grown = new Uint8Array(Math.min(maxBytes, Math.max(stop, buffer.length * 2, 4096)));
        grown.set(buffer.subarray(0, end));
        buffer = grown;
      }
      buffer.set(data, offset);
      end = Math.max(end, stop);
      if (!runsLost) cover(offset, stop);
    },
    result() {
      const whole = runs.length === 1 && runs[0]![0] === 0 && runs[0]![1] === end;
      return { bytes: buffer.slice(0, end), holes: end > 0 && (runsLost || !whole) };
    },
  };
}
