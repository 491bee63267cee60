// What the SFTP and SCP servers need from a session: the shell's per-session filesystem (described
// here structurally, since protocols may not import shell/), events, capture and limits.
import type { FsNode } from '../../core/persona.ts';
import type { CapturePort, SessionEmitter } from '../../core/ports.ts';

/**
 * The part of the shell's copy-on-write `Vfs` (src/shell/vfs/vfs.ts) file transfer uses; pass the
 * session's own Vfs so `ls` in the shell sees uploaded files. Failures throw an error with an
 * `errno` field ('ENOENT', 'EISDIR', 'EFBIG', ...), as VfsError does.
 */
export interface TransferFs {
  resolve(cwd: string, path: string): string;
  stat(path: string): FsNode | null;
  lstat(path: string): FsNode | null;
  readFile(path: string): Uint8Array;
  writeFile(path: string, data: Uint8Array, options?: { append?: boolean; mode?: number }): void;
  readdir(path: string): { readonly name: string; readonly node: FsNode }[];
  mkdir(path: string, options?: { parents?: boolean; mode?: number }): void;
  unlink(path: string): void;
  rmdir(path: string): void;
  rename(from: string, to: string): void;
  symlink(target: string, path: string): void;
  chmod(path: string, mode: number): void;
}

export interface TransferLimits {
  /** Largest file one upload may leave (the shell's maxFileBytes). */
  readonly maxFileBytes: number;
  /** Bytes all uploads of one session may write together. */
  readonly maxSessionWriteBytes: number;
  /** SFTP handles (files and directories) open at once. */
  readonly maxOpenHandles: number;
}

export interface TransferOptions {
  readonly fs: TransferFs;
  readonly events: SessionEmitter;
  readonly capture: CapturePort;
  readonly limits: TransferLimits;
  /** The login user's home: where relative SFTP paths and `scp -t .` start. */
  readonly home: string;
  /** Owner names for long listings (`ls -l` in sftp); uid 0 is root when absent. */
  readonly userNames?: ReadonlyMap<number, string>;
  /** Milliseconds since the epoch, for mtimes of new files; defaults to Date.now. */
  readonly now?: () => number;
}

/** The errno name of a filesystem failure, or null for anything else (a bug, not a refusal). */
export function errnoOf(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('errno' in error)) return null;
  const errno = (error as { errno: unknown }).errno;
  return typeof errno === 'string' ? errno : null;
}

/** Message text of an errno as Linux's strerror gives it (what scp and sftp-server print). */
export function strerror(errno: string | null): string {
  switch (errno) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EEXIST':
      return 'File exists';
    case 'ENOTDIR':
      return 'Not a directory';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOTEMPTY':
      return 'Directory not empty';
    case 'EACCES':
      return 'Permission denied';
    case 'EPERM':
      return 'Operation not permitted';
    case 'EROFS':
      return 'Read-only file system';
    case 'EFBIG':
      return 'File too large';
    case 'ENOSPC':
      return 'No space left on device';
    case 'ELOOP':
      return 'Too many levels of symbolic links';
    default:
      return 'Invalid argument';
  }
}
