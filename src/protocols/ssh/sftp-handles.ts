// Open SFTP handles of one session: files being read or written (writes are buffered and land in the
// filesystem, and the capture, on CLOSE) and directory listings. Bounded by the session's limits.
import type { TransferLimits } from './transfer-fs.ts';

export interface FileHandle {
  readonly kind: 'file';
  readonly path: string;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly append: boolean;
  /** Content as this handle sees it: grows with writes, never past the file-size limit. */
  buf: Uint8Array;
  length: number;
  /** A WRITE or truncating FSETSTAT came: the content is committed and captured on close. */
  changed: boolean;
  /** A write hit a limit: the upload is refused, later writes fail and nothing is committed. */
  refused: boolean;
  mode: number;
}

export interface DirHandle {
  readonly kind: 'dir';
  readonly path: string;
  /** Entries not yet sent ('.' and '..' first, as readdir(3) gives them); null when listing is done. */
  pending: string[] | null;
}

export type Handle = FileHandle | DirHandle;

export class HandleTable {
  readonly #open = new Map<number, Handle>();
  readonly #limits: TransferLimits;
  #next = 0;

  constructor(limits: TransferLimits) {
    this.#limits = limits;
  }

  /** The handle id (4 bytes, as OpenSSH's), or null when too many are open. */
  add(handle: Handle): Buffer | null {
    if (this.#open.size >= this.#limits.maxOpenHandles) return null;
    const id = this.#next;
    this.#next = (this.#next + 1) >>> 0;
    this.#open.set(id, handle);
    const out = Buffer.alloc(4);
    out.writeUInt32BE(id);
    return out;
  }

  get(handle: Buffer): Handle | undefined {
    return handle.length === 4 ? this.#open.get(handle.readUInt32BE(0)) : undefined;
  }

  remove(handle: Buffer): Handle | undefined {
    const found = this.get(handle);
    if (found) this.#open.delete(handle.readUInt32BE(0));
    return found;
  }

  /** Every handle still open (the session ended): removed from the table. */
  drain(): Handle[] {
    const all = [...this.#open.values()];
    this.#open.clear();
    return all;
  }

  /** Bytes held by open write handles beyond what the filesystem already has. */
  buffered(): number {
    let total = 0;
    for (const h of this.#open.values()) if (h.kind === 'file' && h.changed) total += h.length;
    return total;
  }
}

/** Writes `data` at `offset`, zero-filling a gap; false when the result would pass `max` bytes. */
export function writeAt(handle: FileHandle, offset: number, data: Uint8Array, max: number): boolean {
  const at = handle.append ? handle.length : offset;
  const end = at + data.length;
  if (!Number.isSafeInteger(end) || end > max) return false;
  if (end > handle.buf.length) {
    const grown = new Uint8Array(Math.min(max, Math.max(end, handle.buf.length * 2, 4096)));
    grown.set(handle.buf.subarray(0, handle.length));
    handle.buf = grown;
  }
  if (at > handle.length) handle.buf.fill(0, handle.length, at);
  handle.buf.set(data, at);
  handle.length = Math.max(handle.length, end);
  handle.changed = true;
  return true;
}

export function truncateTo(handle: FileHandle, size: number, max: number): boolean {
  if (!Number.isSafeInteger(size) || size < 0 || size > max) return false;
  if (size > handle.buf.length) {
    const grown = new Uint8Array(size);
    grown.set(handle.buf.subarray(0, handle.length));
    handle.buf = grown;
  } else if (size > handle.length) handle.buf.fill(0, handle.length, size);
  handle.length = size;
  handle.changed = true;
  return true;
}
