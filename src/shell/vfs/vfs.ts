// The filesystem a shell session sees: the persona's read-only tree with a per-session overlay.
// Errors carry the errno name so commands can print BusyBox's exact messages.
import type { FsNode } from '../../core/persona.ts';

export type Errno = 'ENOENT' | 'EEXIST' | 'ENOTDIR' | 'EISDIR' | 'ENOTEMPTY' | 'EACCES' | 'EPERM' | 'EINVAL' | 'EROFS' | 'EFBIG' | 'ENOSPC' | 'ELOOP';

export class VfsError extends Error {
  readonly errno: Errno;
  readonly path: string;
  constructor(errno: Errno, path: string) {
    super(`${errno}: ${path}`);
    this.errno = errno;
    this.path = path;
  }
}

/** Human text of each errno as BusyBox prints it after `applet: path: `. */
export const errnoText: Readonly<Record<Errno, string>> = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ENOTEMPTY: 'Directory not empty',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EINVAL: 'Invalid argument',
  EROFS: 'Read-only file system',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  ELOOP: 'Too many levels of symbolic links',
};

export interface DirEntry {
  readonly name: string;
  readonly node: FsNode;
}

export interface Vfs {
  /** Absolute normalised path of `path` relative to `cwd` (no symlink resolution). */
  resolve(cwd: string, path: string): string;
  /** Node at an absolute path, following symlinks; null when absent. */
  stat(path: string): FsNode | null;
  /** Node at an absolute path, not following the last symlink. */
  lstat(path: string): FsNode | null;
  readFile(path: string): Uint8Array;
  /**
   * Creates or replaces (append=false) or extends (append=true) a file. Enforces size limits.
   * The VFS may keep `data` without copying it: callers must not change it afterwards.
   */
  writeFile(path: string, data: Uint8Array, options?: { append?: boolean; mode?: number }): void;
  readdir(path: string): DirEntry[];
  mkdir(path: string, options?: { parents?: boolean; mode?: number }): void;
  unlink(path: string): void;
  rmdir(path: string): void;
  rename(from: string, to: string): void;
  symlink(target: string, path: string): void;
  chmod(path: string, mode: number): void;
  /** Updates mtime, creating an empty file when absent. */
  touch(path: string): void;
  /** Files this session created or changed and has not yet captured, with their current bytes. */
  takeDirty(): { path: string; data: Uint8Array }[];
  /** Files changed in this session (still present), for capture at a given path (exec, delete). */
  isDirty(path: string): boolean;
}
