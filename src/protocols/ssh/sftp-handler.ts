// The SFTP v3 requests of one session answered over the persona filesystem, the way OpenSSH's
// sftp-server answers them (errno -> status code and message). Pure of ssh2: requests in, replies out.
import type { SftpAttrs } from './sftp-attrs.ts';
import { attrsOf, describeSetstat, longName } from './sftp-attrs.ts';
import { HandleTable, truncateTo, writeAt, type FileHandle, type Handle } from './sftp-handles.ts';
import { errnoOf, type TransferOptions } from './transfer-fs.ts';

export interface SetAttrs {
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly size?: number;
  readonly mtime?: number;
}

export type SftpRequest =
  | { readonly op: 'open'; readonly path: string; readonly flags: number; readonly attrs: SetAttrs }
  | { readonly op: 'close' | 'fstat' | 'readdir'; readonly handle: Buffer }
  | { readonly op: 'read'; readonly handle: Buffer; readonly offset: number; readonly length: number }
  | { readonly op: 'write'; readonly handle: Buffer; readonly offset: number; readonly data: Uint8Array }
  | { readonly op: 'fsetstat'; readonly handle: Buffer; readonly attrs: SetAttrs }
  | { readonly op: 'setstat' | 'mkdir'; readonly path: string; readonly attrs: SetAttrs }
  | { readonly op: 'opendir' | 'stat' | 'lstat' | 'remove' | 'rmdir' | 'realpath' | 'readlink'; readonly path: string }
  | { readonly op: 'rename' | 'symlink'; readonly from: string; readonly to: string };

export interface SftpName {
  readonly filename: string;
  readonly longname: string;
  readonly attrs: SftpAttrs | null;
}

export type SftpReply =
  | { readonly kind: 'status'; readonly code: number; readonly message: string }
  | { readonly kind: 'handle'; readonly handle: Buffer }
  | { readonly kind: 'data'; readonly data: Uint8Array }
  | { readonly kind: 'name'; readonly names: readonly SftpName[] }
  | { readonly kind: 'attrs'; readonly attrs: SftpAttrs };

export const FX = { OK: 0, EOF: 1, NO_SUCH_FILE: 2, PERMISSION_DENIED: 3, FAILURE: 4, BAD_MESSAGE: 5, OP_UNSUPPORTED: 8 } as const;
const messages = ['Success', 'End of file', 'No such file', 'Permission denied', 'Failure', 'Bad message', 'No connection', 'Connection lost', 'Operation unsupported'];
const OPEN_READ = 1;
const OPEN_WRITE = 2;
const OPEN_APPEND = 4;
const OPEN_CREAT = 8;
const OPEN_TRUNC = 16;
const OPEN_EXCL = 32;
/** sftp-server answers a READ with at most this much (SFTP_MAX_READ_LENGTH). */
const MAX_READ = 256 * 1024;
/** Directory entries per READDIR reply, as sftp-server sends them. */
const NAMES_PER_REPLY = 100;

export function status(code: number): SftpReply {
  return { kind: 'status', code, message: messages[code] ?? 'Unknown error' };
}

/** errno_to_portable() of sftp-server.c. */
function failure(error: unknown): SftpReply {
  const errno = errnoOf(error);
  if (errno === null) throw error;
  if (errno === 'ENOENT' || errno === 'ENOTDIR' || errno === 'ELOOP') return status(FX.NO_SUCH_FILE);
  if (errno === 'EPERM' || errno === 'EACCES') return status(FX.PERMISSION_DENIED);
  if (errno === 'EINVAL') return status(FX.BAD_MESSAGE);
  return status(FX.FAILURE);
}

export interface SftpHandler {
  handle(request: SftpRequest): SftpReply;
  /** The session ended: files still open for writing are committed and captured. */
  close(): void;
}

export function createSftpHandler(options: TransferOptions): SftpHandler {
  const { fs, events, capture, limits } = options;
  const now = options.now ?? Date.now;
  const names = options.userNames ?? new Map<number, string>();
  const handles = new HandleTable(limits);
  let written = 0;

  const abs = (path: string): string => fs.resolve(options.home, path === '' ? '.' : path);
  const changed = (op: string, detail: string, reply: SftpReply): SftpReply => {
    events.emit('ssh.request', { request: `sftp-${op}`, detail, accepted: reply.kind === 'status' && reply.code === FX.OK });
    return reply;
  };
  const attempt = (action: () => void): SftpReply => {
    try {
      action();
      return status(FX.OK);
    } catch (error) {
      return failure(error);
    }
  };
  const limit = (name: 'file-size' | 'capture-bytes' | 'session-files', max: number, detail: string): SftpReply => {
    events.emit('session.limit', { limit: name, max, detail });
    return status(FX.FAILURE);
  };

  const refuse = (h: FileHandle, name: 'file-size' | 'capture-bytes', max: number, detail: string): SftpReply => {
    h.refused = true;
    h.buf = new Uint8Array(0);
    h.length = 0;
    return limit(name, max, detail);
  };

  const commit = (h: FileHandle): SftpReply => {
    if (!h.changed || h.refused) return status(FX.OK);
    const data = new Uint8Array(h.buf.subarray(0, h.length));
    h.changed = false;
    const reply = attempt(() => fs.writeFile(h.path, data, { mode: h.mode }));
    if (reply.kind === 'status' && reply.code === FX.OK) {
      written += data.length;
      capture.capture(h.path, data, 'upload');
    }
    return reply;
  };

  const open = (path: string, flags: number, attrs: SetAttrs): SftpReply => {
    const target = abs(path);
    const writable = (flags & OPEN_WRITE) !== 0;
    if (writable) events.emit('ssh.request', { request: 'sftp-open', detail: `${target} ${(flags & OPEN_READ) !== 0 ? 'rw' : 'w'}`, accepted: true });
    const node = fs.stat(target);
    if (node?.kind === 'dir') return status(FX.FAILURE);
    if (node && (flags & OPEN_CREAT) !== 0 && (flags & OPEN_EXCL) !== 0) return status(FX.FAILURE);
    if (!node && !(writable && (flags & OPEN_CREAT) !== 0)) return status(FX.NO_SUCH_FILE);
    if (node && node.kind !== 'file' && writable) return status(FX.PERMISSION_DENIED);
    // A writable handle gets its own copy (new Uint8Array, not slice: Buffer#slice shares memory): the
    // persona tree's bytes are shared by every session.
    let initial = node?.kind === 'file' && (flags & OPEN_TRUNC) === 0 ? node.data : new Uint8Array(0);
    if (node?.kind === 'device' && node.device === 'zero') initial = new Uint8Array(0);
    const mode = node?.kind === 'file' ? node.mode : (attrs.mode ?? 0o666) & 0o7777 & ~0o022;
    if (writable && initial.length > limits.maxFileBytes) return limit('file-size', limits.maxFileBytes, `${target} is larger than the file-size limit`);
    const h: FileHandle = { kind: 'file', path: target, readable: (flags & OPEN_READ) !== 0, writable, append: (flags & OPEN_APPEND) !== 0, buf: writable ? new Uint8Array(initial) : initial, length: initial.length, changed: false, refused: false, mode };
    if (writable && (!node || (flags & OPEN_TRUNC) !== 0)) {
      // open(O_CREAT|O_TRUNC) makes the (empty) file at once: a shell `ls` sees it during the upload.
      const made = attempt(() => fs.writeFile(target, new Uint8Array(0), { mode }));
      if (made.kind !== 'status' || made.code !== FX.OK) return made;
    }
    const id = handles.add(h);
    return id === null ? limit('session-files', limits.maxOpenHandles, `more than ${limits.maxOpenHandles} sftp handles open`) : { kind: 'handle', handle: id };
  };

  const write = (h: Handle | undefined, offset: number, data: Uint8Array): SftpReply => {
    if (h?.kind !== 'file' || !h.writable || h.refused) return status(FX.FAILURE);
    const end = (h.append ? h.length : offset) + data.length;
    const fileTooLarge = (): SftpReply => refuse(h, 'file-size', limits.maxFileBytes, `${h.path} grew past ${limits.maxFileBytes} bytes over sftp`);
    if (!Number.isSafeInteger(end) || end > limits.maxFileBytes) return fileTooLarge();
    const growth = Math.max(h.length, end) - (h.changed ? h.length : 0);
    if (written + handles.buffered() + growth > limits.maxSessionWriteBytes) return refuse(h, 'capture-bytes', limits.maxSessionWriteBytes, `sftp uploads passed ${limits.maxSessionWriteBytes} bytes; ${h.path} refused`);
    if (!writeAt(h, offset, data, limits.maxFileBytes)) return fileTooLarge();
    return status(FX.OK);
  };

  const read = (h: Handle | undefined, offset: number, length: number): SftpReply => {
    if (h?.kind !== 'file' || !h.readable) return status(FX.FAILURE);
    if (offset >= h.length) return status(FX.EOF);
    return { kind: 'data', data: h.buf.slice(offset, offset + Math.min(length, MAX_READ)) };
  };

  const stat = (path: string, follow: boolean): SftpReply => {
    try {
      const node = follow ? fs.stat(abs(path)) : fs.lstat(abs(path));
      return node ? { kind: 'attrs', attrs: attrsOf(node) } : status(FX.NO_SUCH_FILE);
    } catch (error) {
      return failure(error);
    }
  };

  const opendir = (path: string): SftpReply => {
    const dir = abs(path);
    try {
      const entries = fs.readdir(dir).map((e) => e.name);
      const id = handles.add({ kind: 'dir', path: dir, pending: ['.', '..', ...entries] });
      return id === null ? limit('session-files', limits.maxOpenHandles, `more than ${limits.maxOpenHandles} sftp handles open`) : { kind: 'handle', handle: id };
    } catch (error) {
      return failure(error);
    }
  };

  const readdir = (h: Handle | undefined): SftpReply => {
    if (h?.kind !== 'dir') return status(FX.FAILURE);
    if (h.pending === null || h.pending.length === 0) {
      h.pending = null;
      return status(FX.EOF);
    }
    const batch = h.pending.splice(0, NAMES_PER_REPLY);
    const nowSeconds = Math.floor(now() / 1000);
    const out: SftpName[] = [];
    for (const name of batch) {
      const node = fs.lstat(name === '.' ? h.path : name === '..' ? fs.resolve(h.path, '..') : fs.resolve(h.path, name));
      if (!node) continue;
      const attrs = attrsOf(node);
      out.push({ filename: name, longname: longName(name, attrs, names, nowSeconds), attrs });
    }
    return out.length === 0 ? status(FX.EOF) : { kind: 'name', names: out };
  };

  const setstat = (path: string, attrs: SetAttrs, h: FileHandle | null): SftpReply => {
    if (attrs.size !== undefined) {
      if (h === null || !h.writable) return status(FX.PERMISSION_DENIED);
      if (!truncateTo(h, attrs.size, limits.maxFileBytes)) return limit('file-size', limits.maxFileBytes, `${path} truncated past ${limits.maxFileBytes} bytes over sftp`);
    }
    if (attrs.mode === undefined) return fs.lstat(path) || h ? status(FX.OK) : status(FX.NO_SUCH_FILE);
    const mode = attrs.mode & 0o7777;
    if (h) h.mode = mode;
    return attempt(() => fs.chmod(path, mode));
  };

  const realpath = (path: string): SftpReply => {
    const target = abs(path);
    const node = fs.stat(target);
    if (!node && !fs.stat(fs.resolve(target, '..'))) return status(FX.NO_SUCH_FILE);
    return { kind: 'name', names: [{ filename: target, longname: target, attrs: null }] };
  };

  const readlink = (path: string): SftpReply => {
    const node = fs.lstat(abs(path));
    if (!node) return status(FX.NO_SUCH_FILE);
    if (node.kind !== 'symlink') return status(FX.BAD_MESSAGE);
    return { kind: 'name', names: [{ filename: node.target, longname: node.target, attrs: null }] };
  };

  const rename = (from: string, to: string): SftpReply => {
    const a = abs(from);
    const b = abs(to);
    // Without posix-rename sftp-server renames with link()+unlink(): an existing target is a failure.
    if (!fs.lstat(a)) return status(FX.NO_SUCH_FILE);
    if (fs.lstat(b)) return status(FX.FAILURE);
    return attempt(() => fs.rename(a, b));
  };

  return {
    handle(request) {
      switch (request.op) {
        case 'open':
          return open(request.path, request.flags, request.attrs);
        case 'close': {
          const h = handles.remove(request.handle);
          if (!h) return status(FX.FAILURE);
          return h.kind === 'file' ? commit(h) : status(FX.OK);
        }
        case 'read':
          return read(handles.get(request.handle), request.offset, request.length);
        case 'write':
          return write(handles.get(request.handle), request.offset, request.data);
        case 'fstat': {
          const h = handles.get(request.handle);
          if (h?.kind !== 'file') return h ? stat(h.path, true) : status(FX.FAILURE);
          return { kind: 'attrs', attrs: { ...attrsOf({ kind: 'file', data: h.buf.subarray(0, h.length), mode: h.mode, uid: 0, gid: 0, mtime: now() }) } };
        }
        case 'fsetstat': {
          const h = handles.get(request.handle);
          if (!h) return status(FX.FAILURE);
          return changed('setstat', `${h.path} ${describeSetstat(request.attrs)}`.trim(), setstat(h.path, request.attrs, h.kind === 'file' ? h : null));
        }
        case 'setstat': {
          const path = abs(request.path);
          return changed('setstat', `${path} ${describeSetstat(request.attrs)}`.trim(), setstat(path, request.attrs, null));
        }
        case 'mkdir': {
          const path = abs(request.path);
          const mode = (request.attrs.mode ?? 0o777) & 0o7777;
          return changed('mkdir', `${path} mode=${mode.toString(8).padStart(4, '0')}`, attempt(() => fs.mkdir(path, { mode: mode & ~0o022 })));
        }
        case 'opendir':
          return opendir(request.path);
        case 'readdir':
          return readdir(handles.get(request.handle));
        case 'stat':
          return stat(request.path, true);
        case 'lstat':
          return stat(request.path, false);
        case 'remove': {
          const path = abs(request.path);
          // unlink(2) of a directory is EISDIR: a plain failure for sftp.
          const reply = fs.lstat(path)?.kind === 'dir' ? status(FX.FAILURE) : attempt(() => fs.unlink(path));
          return changed('remove', path, reply);
        }
        case 'rmdir': {
          const path = abs(request.path);
          return changed('rmdir', path, attempt(() => fs.rmdir(path)));
        }
        case 'realpath':
          return realpath(request.path);
        case 'readlink':
          return readlink(request.path);
        case 'rename':
          return changed('rename', `${abs(request.from)} -> ${abs(request.to)}`, rename(request.from, request.to));
        case 'symlink': {
          // sftp-server takes the packet's strings as symlink(oldpath, newpath): target first.
          const path = abs(request.to);
          return changed('symlink', `${path} -> ${request.from}`, attempt(() => fs.symlink(request.from, path)));
        }
      }
    },
    close() {
      for (const h of handles.drain()) if (h.kind === 'file') commit(h);
    },
  };
}
