// Reads both directions of a relayed `sftp` subsystem channel (OpenSSH 9 `scp` without -O, `sftp
// put`) and gives back the files the attacker uploaded, and the changes it asked for (remove,
// rename, mkdir, chmod ...) with whether the device agreed. Pure; paths are the device's, never used
// on the host; memory is bounded by the limits whatever the attacker sends.
import { createSftpFramer, describeAttrs, readAttrs, readFields, SftpTruncated, type SftpFields, type SftpPacket } from './sftp-packets.ts';
import { createSftpUpload, type SftpUpload } from './sftp-upload.ts';

export interface SftpLimits {
  /** Largest file kept. */
  readonly maxFileBytes: number;
  /** Bytes of all files kept by this channel (what is open counts at its current length). */
  readonly maxTotalBytes: number;
  /** Files open for writing at once. */
  readonly maxHandles: number;
}

export type SftpObservation =
  /** A file written and closed (`closed`), or still open when the channel ended. */
  | { readonly kind: 'file'; readonly path: string; readonly bytes: Uint8Array; readonly holes: boolean; readonly closed: boolean }
  /** Writes past a limit: the file is not kept (`size` is the length it reached at least). */
  | { readonly kind: 'too-large'; readonly path: string; readonly size: number; readonly max: number }
  /** open, remove, rename, mkdir, rmdir, setstat, fsetstat, symlink, hardlink; `accepted` from the device's reply. */
  | { readonly kind: 'request'; readonly op: string; readonly detail: string; readonly accepted: boolean }
  | { readonly kind: 'limit'; readonly max: number; readonly detail: string };

export interface SftpObserver {
  fromClient(bytes: Uint8Array): SftpObservation[];
  fromDevice(bytes: Uint8Array): SftpObservation[];
  /** The channel closed: files still open, and requests the device never answered (as not accepted). */
  end(): SftpObservation[];
}

/** OpenSSH's own cap on an SFTP message, plus room for the header. */
const MAX_PACKET = 256 * 1024 + 1024;
/** Requests waiting for the device's reply (OpenSSH pipelines 64); more are told at once, as not accepted. */
const MAX_PENDING = 256;
/** Longest path kept (a packet may carry one of 256 KiB; PATH_MAX is 4096). */
const MAX_PATH = 4096;
const MAX_HANDLE = 256;
const FXF_WRITE = 0x2;
const FLAG_NAMES: readonly [number, string][] = [[0x1, 'read'], [0x2, 'write'], [0x4, 'append'], [0x8, 'creat'], [0x10, 'trunc'], [0x20, 'excl']];
const OPS: Readonly<Record<number, string>> = { 9: 'setstat', 10: 'fsetstat', 13: 'remove', 14: 'mkdir', 15: 'rmdir', 18: 'rename', 20: 'symlink' };
/** A Map, not an object: the name is the attacker's ("constructor" must find nothing). */
const EXTENDED_OPS: ReadonlyMap<string, string> = new Map([['posix-rename@openssh.com', 'rename'], ['hardlink@openssh.com', 'hardlink']]);

interface Pending {
  readonly op: string;
  readonly detail: string;
  /** An OPEN: the path the HANDLE reply ties to a handle, and whether it is for writing. */
  readonly open: { readonly path: string; readonly write: boolean } | null;
}

export function createSftpObserver(limits: SftpLimits): SftpObserver {
  const client = createSftpFramer(MAX_PACKET);
  const device = createSftpFramer(MAX_PACKET);
  const pending = new Map<number, Pending>();
  /** Files open for writing, by handle (hex); null once past a limit (its writes are then skipped). */
  const uploads = new Map<string, SftpUpload | null>();
  const handlePaths = new Map<string, string>();
  /** Bytes of files already given back. */
  let kept = 0;
  let handlesTold = false;

  const openBytes = (): number => {
    let sum = 0;
    for (const upload of uploads.values()) sum += upload?.end ?? 0;
    return sum;
  };
  const path = (fields: SftpFields): string => fields.text().slice(0, MAX_PATH);
  const handleKey = (fields: SftpFields): string | null => {
    const handle = fields.bytes();
    return handle.length > MAX_HANDLE ? null : Buffer.from(handle).toString('hex');
  };

  const request = (out: SftpObservation[], id: number, op: string, detail: string, open: Pending['open'] = null): void => {
    if (pending.size >= MAX_PENDING && !pending.has(id)) return void out.push({ kind: 'request', op, detail, accepted: false });
    pending.set(id, { op, detail, open });
  };

  const write = (out: SftpObservation[], key: string, offset: number, data: Uint8Array): void => {
    const upload = uploads.get(key);
    if (!upload) return;
    const stop = offset + data.length;
    if (stop <= upload.end || data.length === 0) return upload.write(offset, data);
    const max = Math.min(limits.maxFileBytes, Math.max(0, limits.maxTotalBytes - kept - (openBytes() - upload.end)));
    if (stop <= max) return upload.write(offset, data);
    uploads.set(key, null);
    out.push({ kind: 'too-large', path: upload.path, size: stop, max });
  };

  const finish = (upload: SftpUpload, closed: boolean): SftpObservation => {
    const { bytes, holes } = upload.result();
    kept += bytes.length;
    return { kind: 'file', path: upload.path, bytes, holes, closed };
  };

  const onClient = (packet: SftpPacket, out: SftpObservation[]): void => {
    if (packet.type === 1) return; // INIT: no request id
    const fields = readFields(packet.body);
    const id = fields.u32();
    switch (packet.type) {
      case 3: {
        const name = path(fields);
        const flags = fields.u32();
        const names = FLAG_NAMES.filter(([bit]) => flags & bit).map(([, flag]) => flag);
        return request(out, id, 'open', `${name} ${names.join(',')}`.trim(), { path: name, write: (flags & FXF_WRITE) !== 0 });
      }
      case 6: {
        const key = handleKey(fields);
        const offset = fields.u64();
        const data = fields.bytes();
        if (key !== null) write(out, key, offset, data);
        return;
      }
      case 4: {
        const key = handleKey(fields);
        if (key === null) return;
        const upload = uploads.get(key);
        uploads.delete(key);
        handlePaths.delete(key);
        if (upload) out.push(finish(upload, true));
        return;
      }
      case 10: {
        const key = handleKey(fields);
        const name = key === null ? '(handle)' : (handlePaths.get(key) ?? '(handle)');
        return request(out, id, 'fsetstat', `${name} ${describeAttrs(readAttrs(fields))}`.trim());
      }
      case 9:
      case 14: {
        const name = path(fields);
        const attrs = fields.rest > 0 ? describeAttrs(readAttrs(fields)) : '';
        return request(out, id, OPS[packet.type]!, `${name} ${attrs}`.trim());
      }
      case 13:
      case 15:
        return request(out, id, OPS[packet.type]!, path(fields));
      case 18:
      case 20: {
        const first = path(fields);
        const second = path(fields);
        // OpenSSH sends SYMLINK's target first and the new link second (the draft says the reverse).
        return request(out, id, OPS[packet.type]!, packet.type === 18 ? `${first} -> ${second}` : `${second} -> ${first}`);
      }
      case 200: {
        const op = EXTENDED_OPS.get(fields.text());
        if (op === undefined) return;
        const from = path(fields);
        return request(out, id, op, `${from} -> ${path(fields)}`);
      }
      default:
        return;
    }
  };

  const onDevice = (packet: SftpPacket, out: SftpObservation[]): void => {
    if (packet.type === 2) return; // VERSION
    const fields = readFields(packet.body);
    const id = fields.u32();
    const asked = pending.get(id);
    if (!asked) return;
    pending.delete(id);
    // STATUS carries a code (0 = OK); HANDLE, NAME, ATTRS ... are answers to a request that worked.
    const accepted = packet.type === 101 ? fields.u32() === 0 : true;
    out.push({ kind: 'request', op: asked.op, detail: asked.detail, accepted });
    if (packet.type !== 102 || asked.open === null) return;
    const key = handleKey(fields);
    if (key === null) return;
    const { path, write } = asked.open;
    // Read handles are named too (an FSETSTAT may use one), as long as there is room.
    if (handlePaths.size < MAX_PENDING) handlePaths.set(key, path);
    if (!write) return;
    if (uploads.size >= limits.maxHandles) {
      if (!handlesTold) out.push({ kind: 'limit', max: limits.maxHandles, detail: `more than ${limits.maxHandles} files open for writing over sftp; ${path} not kept` });
      handlesTold = true;
      return;
    }
    uploads.set(key, createSftpUpload(path, limits.maxFileBytes));
  };

  const read = (framer: typeof client, bytes: Uint8Array, handle: (packet: SftpPacket, out: SftpObservation[]) => void): SftpObservation[] => {
    const out: SftpObservation[] = [];
    for (const packet of framer.push(bytes)) {
      try {
        handle(packet, out);
      } catch (error) {
        if (!(error instanceof SftpTruncated)) throw error;
        // A packet cut short inside: skipped, as the device will reject it too.
      }
    }
    return out;
  };

  return {
    fromClient: (bytes) => read(client, bytes, onClient),
    fromDevice: (bytes) => read(device, bytes, onDevice),
    end() {
      const out: SftpObservation[] = [];
      for (const asked of pending.values()) out.push({ kind: 'request', op: asked.op, detail: asked.detail, accepted: false });
      pending.clear();
      for (const upload of uploads.values()) if (upload) out.push(finish(upload, false));
      uploads.clear();
      handlePaths.clear();
      return out;
    },
  };
}
