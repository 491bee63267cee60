// Reads a pack's fs/ directory from the host into raw entries keyed by emulated path.
// Only regular files, directories and symlinks; sizes and counts are capped.
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export type RawEntry =
  | { readonly kind: 'file'; readonly data: Uint8Array }
  | { readonly kind: 'dir' }
  | { readonly kind: 'symlink'; readonly target: string };

export interface PackFileLimits {
  readonly maxEntries: number;
  readonly maxTotalBytes: number;
}

export const defaultPackFileLimits: PackFileLimits = { maxEntries: 20000, maxTotalBytes: 64 * 1024 * 1024 };

/** Walks `fsDir`; problems are reported with `label` (e.g. "personas/foo/fs") as the location. */
export async function readPackFiles(
  fsDir: string,
  label: string,
  problems: string[],
  limits: PackFileLimits = defaultPackFileLimits,
): Promise<Map<string, RawEntry>> {
  const entries = new Map<string, RawEntry>();
  let totalBytes = 0;
  try {
    const st = await lstat(fsDir);
    if (!st.isDirectory()) {
      problems.push(`${label}: expected a directory`);
      return entries;
    }
  } catch {
    return entries; // A pack without fs/ is allowed: everything then comes from generation.
  }
  const pending: { host: string; emulated: string }[] = [{ host: fsDir, emulated: '/' }];
  while (pending.length > 0) {
    const { host, emulated } = pending.pop()!;
    const children = await readdir(host, { withFileTypes: true });
    if (children.length === 0 && emulated !== '/') {
      problems.push(`${label}${emulated}: empty directory (git does not keep it): list it in fs.dirs instead`);
    }
    for (const child of children) {
      const childHost = join(host, child.name);
      const childPath = emulated === '/' ? `/${child.name}` : `${emulated}/${child.name}`;
      if (entries.size >= limits.maxEntries) {
        problems.push(`${label}: more than ${limits.maxEntries} entries`);
        return entries;
      }
      if (child.isDirectory()) {
        entries.set(childPath, { kind: 'dir' });
        pending.push({ host: childHost, emulated: childPath });
      } else if (child.isSymbolicLink()) {
        entries.set(childPath, { kind: 'symlink', target: await readlink(childHost) });
      } else if (child.isFile()) {
        const data = new Uint8Array(await readFile(childHost));
        totalBytes += data.length;
        if (totalBytes > limits.maxTotalBytes) {
          problems.push(`${label}: files add up to more than ${limits.maxTotalBytes} bytes`);
          return entries;
        }
        entries.set(childPath, { kind: 'file', data });
      } else {
        problems.push(`${label}${childPath}: not a regular file, directory or symlink`);
      }
    }
  }
  return entries;
}
