// Copy-on-write filesystem of one shell session: the persona's shared read-only tree below, this
// session's changed nodes and whiteouts above. A write touches only the overlay, never the tree.
import type { FsNode, FsTree } from '../../core/persona.ts';
import type { Clock } from '../../core/ports.ts';
import { type DirEntry, type Vfs, VfsError } from './vfs.ts';
import { builtinNode, indexTree, isTreeIndex, type TreeIndex } from './tree-index.ts';
import { baseName, childPath, isWithin, normalisePath, parentOf } from './vfs-path.ts';

export interface CowLimits {
  readonly maxFileBytes: number;
  readonly maxSessionWriteBytes: number;
  /** Nodes (files, dirs, links) the session may create. */
  readonly maxFiles: number;
}

/** A file this session wrote: a growable buffer so chunked appends cost amortised O(chunk). */
interface GrowFile {
  readonly kind: 'grow';
  buf: Uint8Array;
  length: number;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
}

type Entry = FsNode | GrowFile;

/** Linux's limit on symlinks followed while resolving one path. */
const maxSymlinkHops = 40;
/** How much /dev/zero yields to a whole-file read (`cat`, `cp`); dd generates its own. */
const zeroReadBytes = 65536;

function view(entry: Entry): FsNode {
  if (entry.kind !== 'grow') return entry;
  return { kind: 'file', data: entry.buf.subarray(0, entry.length), mode: entry.mode, uid: entry.uid, gid: entry.gid, mtime: entry.mtime };
}

function sizeOf(entry: Entry): number {
  if (entry.kind === 'grow') return entry.length;
  return entry.kind === 'file' ? entry.data.length : 0;
}

/**
 * `base` is best a TreeIndex built once per persona (indexTree) and shared by every session; a bare
 * tree also works but is indexed on this session's first directory listing.
 */
/** `live` gives the current content of files that change on their own (/proc/uptime). */
export function createCowVfs(base: FsTree | TreeIndex, limits: CowLimits, clock: Clock, live?: (path: string) => Uint8Array | undefined): Vfs {
  let index: TreeIndex | null = isTreeIndex(base) ? base : null;
  const tree = isTreeIndex(base) ? base.tree : base;
  const childrenOf = (dir: string): readonly string[] => {
    index ??= indexTree(tree);
    return index.children.get(dir) ?? [];
  };
  /** null marks a whiteout: the base node is deleted in this session. */
  const overlay = new Map<string, Entry | null>();
  const overlayChildren = new Map<string, Set<string>>();
  const created = new Set<string>();
  const dirty = new Set<string>();
  let written = 0;

  const baseGet = (path: string): FsNode | undefined => {
    const node = tree.get(path) ?? builtinNode(path);
    if (node?.kind !== 'file' || !live) return node;
    const data = live(path);
    return data === undefined ? node : { ...node, data, mtime: clock.now() };
  };
  const get = (path: string): Entry | null => (overlay.has(path) ? (overlay.get(path) ?? null) : (baseGet(path) ?? null));

  const put = (path: string, entry: Entry): void => {
    if (get(path) === null) {
      if (created.size >= limits.maxFiles) throw new VfsError('ENOSPC', path);
      created.add(path);
    }
    overlay.set(path, entry);
    const parent = parentOf(path);
    let names = overlayChildren.get(parent);
    if (!names) overlayChildren.set(parent, (names = new Set()));
    names.add(baseName(path));
  };

  const remove = (path: string): void => {
    if (baseGet(path) !== undefined) overlay.set(path, null);
    else overlay.delete(path);
    created.delete(path);
    dirty.delete(path);
  };

  /** Resolves symlinks along `path`; the last component may be absent (entry null). */
  const walk = (path: string, followLast: boolean): { real: string; entry: Entry | null } => {
    const stack = path.split('/').reverse();
    let current = '/';
    let hops = 0;
    let entry: Entry | null = get('/');
    while (stack.length > 0) {
      const name = stack.pop() ?? '';
      if (name === '' || name === '.') continue;
      if (name === '..') {
        current = parentOf(current);
        entry = get(current);
        continue;
      }
      const next = childPath(current, name);
      const isLast = !stack.some((part) => part !== '' && part !== '.');
      const found = get(next);
      if (found === null) {
        if (isLast) return { real: next, entry: null };
        throw new VfsError('ENOENT', path);
      }
      if (found.kind === 'symlink' && (!isLast || followLast)) {
        if (++hops > maxSymlinkHops) throw new VfsError('ELOOP', path);
        if (found.target.startsWith('/')) current = '/';
        for (const part of found.target.split('/').reverse()) stack.push(part);
        entry = get(current);
        continue;
      }
      if (!isLast && found.kind !== 'dir') throw new VfsError('ENOTDIR', path);
      current = next;
      entry = found;
    }
    return { real: current, entry };
  };

  const existing = (path: string, followLast: boolean): { real: string; entry: Entry } => {
    const { real, entry } = walk(path, followLast);
    if (entry === null) throw new VfsError('ENOENT', path);
    return { real, entry };
  };

  const listNames = (dir: string): string[] => {
    const names = new Set(childrenOf(dir));
    for (const name of overlayChildren.get(dir) ?? []) names.add(name);
    return [...names].filter((name) => get(childPath(dir, name)) !== null).sort();
  };

  const chargeWrite = (path: string, bytes: number, newSize: number): void => {
    if (newSize > limits.maxFileBytes) throw new VfsError('EFBIG', path);
    if (written + bytes > limits.maxSessionWriteBytes) throw new VfsError('ENOSPC', path);
  };

  const withMeta = (entry: Entry, change: { mode?: number; mtime?: number }): Entry => {
    if (entry.kind === 'grow') {
      if (change.mode !== undefined) entry.mode = change.mode;
      if (change.mtime !== undefined) entry.mtime = change.mtime;
      return entry;
    }
    if (entry.kind === 'symlink') return { ...entry, mtime: change.mtime ?? entry.mtime };
    return { ...entry, mode: change.mode ?? entry.mode, mtime: change.mtime ?? entry.mtime };
  };

  const vfs: Vfs = {
    resolve: normalisePath,

    stat(path) {
      try {
        const { entry } = walk(path, true);
        return entry === null ? null : view(entry);
      } catch {
        return null;
      }
    },

    lstat(path) {
      try {
        const { entry } = walk(path, false);
        return entry === null ? null : view(entry);
      } catch {
        return null;
      }
    },

    readFile(path) {
      const { entry } = existing(path, true);
      if (entry.kind === 'dir') throw new VfsError('EISDIR', path);
      if (entry.kind === 'device') return entry.device === 'zero' ? new Uint8Array(zeroReadBytes) : new Uint8Array(0);
      if (entry.kind === 'grow') return entry.buf.subarray(0, entry.length);
      if (entry.kind === 'file') return entry.data;
      throw new VfsError('ENOENT', path);
    },

    writeFile(path, data, options) {
      const { real, entry } = walk(path, true);
      if (entry?.kind === 'device') return;
      if (entry?.kind === 'dir') throw new VfsError('EISDIR', path);
      const append = options?.append === true && entry !== null;
      const oldSize = entry === null ? 0 : sizeOf(entry);
      const newSize = (append ? oldSize : 0) + data.length;
      chargeWrite(path, data.length, newSize);
      const now = clock.now();
      if (append && entry.kind === 'grow') {
        if (newSize > entry.buf.length) {
          const grown = new Uint8Array(Math.max(newSize, entry.buf.length * 2, 256));
          grown.set(entry.buf.subarray(0, entry.length));
          entry.buf = grown;
        }
        entry.buf.set(data, entry.length);
        entry.length = newSize;
        entry.mtime = now;
      } else {
        // A replaced file keeps the caller's bytes without copying (`cp` of a 600 KB busybox costs
        // nothing). Safe because a buffer is only ever written past its visible length, and a
        // shared one has none: the first append to it allocates.
        let buf = data;
        if (append) {
          buf = new Uint8Array(newSize);
          if (entry.kind === 'file') buf.set(entry.data);
          buf.set(data, oldSize);
        }
        const meta = entry !== null && entry.kind !== 'symlink' ? entry : null;
        const file: GrowFile = {
          kind: 'grow',
          buf,
          length: newSize,
          mode: meta?.mode ?? options?.mode ?? 0o644,
          uid: meta && 'uid' in meta ? meta.uid : 0,
          gid: meta && 'gid' in meta ? meta.gid : 0,
          mtime: now,
        };
        put(real, file);
      }
      written += data.length;
      dirty.add(real);
    },

    readdir(path) {
      const { real, entry } = existing(path, true);
      if (entry.kind !== 'dir') throw new VfsError('ENOTDIR', path);
      const entries: DirEntry[] = [];
      for (const name of listNames(real)) {
        const child = get(childPath(real, name));
        if (child !== null) entries.push({ name, node: view(child) });
      }
      return entries;
    },

    mkdir(path, options) {
      const mode = options?.mode ?? 0o755;
      if (options?.parents === true) {
        let prefix = '';
        for (const part of normalisePath('/', path).split('/').filter(Boolean)) {
          prefix = `${prefix}/${part}`;
          const { real, entry } = walk(prefix, true);
          if (entry === null) put(real, { kind: 'dir', mode, uid: 0, gid: 0, mtime: clock.now() });
          else if (entry.kind !== 'dir') throw new VfsError(prefix === normalisePath('/', path) ? 'EEXIST' : 'ENOTDIR', path);
        }
        return;
      }
      const { real, entry } = walk(path, false);
      if (entry !== null) throw new VfsError('EEXIST', path);
      put(real, { kind: 'dir', mode, uid: 0, gid: 0, mtime: clock.now() });
    },

    unlink(path) {
      const { real, entry } = existing(path, false);
      if (entry.kind === 'dir') throw new VfsError('EISDIR', path);
      remove(real);
    },

    rmdir(path) {
      const { real, entry } = existing(path, false);
      if (entry.kind !== 'dir') throw new VfsError('ENOTDIR', path);
      if (real === '/') throw new VfsError('EPERM', path);
      if (listNames(real).length > 0) throw new VfsError('ENOTEMPTY', path);
      remove(real);
    },

    rename(from, to) {
      const src = existing(from, false);
      const dst = walk(to, false);
      if (src.real === dst.real) return;
      if (src.entry.kind === 'dir' && isWithin(dst.real, src.real)) throw new VfsError('EINVAL', to);
      if (dst.entry !== null) {
        if (dst.entry.kind === 'dir' && src.entry.kind !== 'dir') throw new VfsError('EISDIR', to);
        if (dst.entry.kind !== 'dir' && src.entry.kind === 'dir') throw new VfsError('ENOTDIR', to);
        if (dst.entry.kind === 'dir' && listNames(dst.real).length > 0) throw new VfsError('ENOTEMPTY', to);
      }
      // A directory moves with its whole visible subtree: cost is the subtree, never the tree.
      const moves: [string, Entry][] = [];
      const collect = (path: string, entry: Entry): void => {
        moves.push([path, entry]);
        if (entry.kind === 'dir') for (const name of listNames(path)) collect(childPath(path, name), get(childPath(path, name)) ?? entry);
      };
      collect(src.real, src.entry);
      for (const [path, entry] of moves) {
        const target = dst.real + path.slice(src.real.length);
        put(target, entry);
        if (dirty.has(path)) dirty.add(target);
      }
      for (const [path] of moves.reverse()) remove(path);
    },

    symlink(target, path) {
      const { real, entry } = walk(path, false);
      if (entry !== null) throw new VfsError('EEXIST', path);
      put(real, { kind: 'symlink', target, mtime: clock.now() });
    },

    chmod(path, mode) {
      const { real, entry } = existing(path, true);
      overlay.set(real, withMeta(entry, { mode: mode & 0o7777 }));
    },

    touch(path) {
      const { real, entry } = walk(path, true);
      if (entry === null) {
        vfs.writeFile(path, new Uint8Array(0));
        return;
      }
      overlay.set(real, withMeta(entry, { mtime: clock.now() }));
    },

    takeDirty() {
      const out: { path: string; data: Uint8Array }[] = [];
      for (const path of dirty) {
        const entry = get(path);
        if (entry?.kind === 'grow') out.push({ path, data: entry.buf.slice(0, entry.length) });
        else if (entry?.kind === 'file') out.push({ path, data: entry.data.slice() });
      }
      dirty.clear();
      return out;
    },

    isDirty(path) {
      try {
        return dirty.has(walk(path, true).real);
      } catch {
        return false;
      }
    },
  };
  return vfs;
}
