// SFTP v3 attributes and `ls -l` long names of persona filesystem nodes, as OpenSSH's sftp-server
// builds them (stat() fields; ls_file() for READDIR long names).
import type { FsNode } from '../../core/persona.ts';

export interface SftpAttrs {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly atime: number;
  readonly mtime: number;
}

const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

export function attrsOf(node: FsNode): SftpAttrs {
  const seconds = Math.floor(node.mtime / 1000);
  switch (node.kind) {
    case 'file':
      return { mode: S_IFREG | (node.mode & 0o7777), uid: node.uid, gid: node.gid, size: node.data.length, atime: seconds, mtime: seconds };
    case 'dir':
      return { mode: S_IFDIR | (node.mode & 0o7777), uid: node.uid, gid: node.gid, size: 4096, atime: seconds, mtime: seconds };
    case 'symlink':
      return { mode: S_IFLNK | 0o777, uid: 0, gid: 0, size: node.target.length, atime: seconds, mtime: seconds };
    case 'device':
      return { mode: S_IFCHR | (node.mode & 0o7777), uid: 0, gid: 0, size: 0, atime: seconds, mtime: seconds };
  }
}

function modeString(mode: number): string {
  const type = (mode & 0o170000) === S_IFDIR ? 'd' : (mode & 0o170000) === S_IFLNK ? 'l' : (mode & 0o170000) === S_IFCHR ? 'c' : '-';
  const bits = ['r', 'w', 'x', 'r', 'w', 'x', 'r', 'w', 'x'].map((ch, i) => ((mode >> (8 - i)) & 1 ? ch : '-'));
  if (mode & 0o4000) bits[2] = bits[2] === 'x' ? 's' : 'S';
  if (mode & 0o2000) bits[5] = bits[5] === 'x' ? 's' : 'S';
  if (mode & 0o1000) bits[8] = bits[8] === 'x' ? 't' : 'T';
  return type + bits.join('');
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const sixMonths = 182 * 24 * 3600;

/** ls_file(): "%s %3u %-8s %-8s %8llu %s %s" with strftime "%b %e %H:%M" (or "%b %e  %Y" when old). */
export function longName(name: string, attrs: SftpAttrs, names: ReadonlyMap<number, string>, nowSeconds: number): string {
  const user = names.get(attrs.uid) ?? (attrs.uid === 0 ? 'root' : String(attrs.uid));
  const group = names.get(attrs.gid) ?? (attrs.gid === 0 ? 'root' : String(attrs.gid));
  const links = (attrs.mode & 0o170000) === S_IFDIR ? 2 : 1;
  const d = new Date(attrs.mtime * 1000);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  const recent = attrs.mtime + sixMonths > nowSeconds && attrs.mtime < nowSeconds + sixMonths;
  const when = recent ? `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}` : ` ${d.getUTCFullYear()}`;
  return `${modeString(attrs.mode)} ${String(links).padStart(3, ' ')} ${user.padEnd(8, ' ')} ${group.padEnd(8, ' ')} ${String(attrs.size).padStart(8, ' ')} ${months[d.getUTCMonth()]} ${day} ${when} ${name}`;
}

/** What a SETSTAT asked for, as the relay's sftp observer writes it ("mode=0755 size=0"). */
export function describeSetstat(attrs: { readonly mode?: number; readonly uid?: number; readonly gid?: number; readonly size?: number; readonly mtime?: number }): string {
  const parts: string[] = [];
  if (attrs.mode !== undefined) parts.push(`mode=${(attrs.mode & 0o7777).toString(8).padStart(4, '0')}`);
  if (attrs.uid !== undefined) parts.push(`uid=${attrs.uid} gid=${attrs.gid ?? 0}`);
  if (attrs.size !== undefined) parts.push(`size=${attrs.size}`);
  if (attrs.mtime !== undefined) parts.push(`mtime=${attrs.mtime}`);
  return parts.join(' ');
}
