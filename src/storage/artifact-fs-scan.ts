// Startup scan of the disk artifact store: lists `ab/cd/<sha256>` files with size and mtime (the
// store's only bookkeeping lives in memory and is rebuilt from this), and clears temp files a crash left.
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactEntry } from './artifact-store-api.ts';
import { SHA256_HEX } from './artifact-store-api.ts';

/** A temp file this old cannot belong to a write still running. */
const STALE_TEMP_MS = 60 * 60 * 1000;
const TEMP_NAME = /^[0-9a-f]{64}\.[0-9a-f]{12}$/;
const SHARD = /^[0-9a-f]{2}$/;

const ignoreMissing = (error: unknown): [] => {
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return [];
  throw error;
};

/** Returns the stored samples least recently seen first. */
export async function scanArtifacts(root: string, tmp: string, now: number): Promise<ArtifactEntry[]> {
  await mkdir(tmp, { recursive: true });
  for (const name of await readdir(tmp)) {
    if (!TEMP_NAME.test(name)) continue;
    const path = join(tmp, name);
    const info = await stat(path).catch(ignoreMissing);
    if (!Array.isArray(info) && now - info.mtimeMs > STALE_TEMP_MS) await unlink(path).catch(ignoreMissing);
  }
  const entries: ArtifactEntry[] = [];
  // `prefix` is the shard names so far: a file counts only where the layout puts it.
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const found = await readdir(dir, { withFileTypes: true }).catch(ignoreMissing);
    for (const e of found) {
      if (prefix.length < 4 && e.isDirectory() && SHARD.test(e.name)) await walk(join(dir, e.name), prefix + e.name);
      else if (prefix.length === 4 && e.isFile() && SHA256_HEX.test(e.name) && e.name.startsWith(prefix)) {
        // A file can vanish between readdir and stat (removed by hand): it is simply not counted.
        const info = await stat(join(dir, e.name)).catch(ignoreMissing);
        if (!Array.isArray(info)) entries.push({ sha256: e.name, size: info.size, lastSeen: info.mtimeMs });
      }
    }
  };
  await walk(root, '');
  return entries.sort((a, b) => a.lastSeen - b.lastSeen || (a.sha256 < b.sha256 ? -1 : 1));
}
