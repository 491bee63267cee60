// Content-addressed artifact store on disk: `<dataDir>/artifacts/ab/cd/<sha256>`, written atomically
// (temp file + rename), stored once, under a total size cap that refuses new bytes rather than fill the disk.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactStore } from '../core/ports.ts';

export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Thrown by `put` when storing would pass the size cap. */
export class ArtifactStoreFullError extends Error {
  constructor(sha256: string, size: number, used: number, max: number) {
    super(`artifact store full: ${sha256} (${size} bytes) refused, ${used} of ${max} bytes used`);
    this.name = 'ArtifactStoreFullError';
  }
}

export interface ArtifactStoreStats {
  readonly count: number;
  readonly bytes: number;
  readonly refused: number;
}

export interface SizedArtifactStore extends ArtifactStore {
  stats(): Promise<ArtifactStoreStats>;
}

/** Checks the id and the bytes agree, so a caller can never store bytes under another hash. */
export function checkArtifact(sha256: string, bytes: Uint8Array): void {
  if (!SHA256_HEX.test(sha256)) throw new TypeError(`not a sha256 hex digest: ${JSON.stringify(sha256.slice(0, 80))}`);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) throw new TypeError(`sha256 mismatch: given ${sha256}, content is ${actual}`);
}

export function createFsArtifactStore(options: { readonly dataDir: string; readonly maxTotalBytes: number }): SizedArtifactStore {
  const root = join(options.dataDir, 'artifacts');
  const tmp = join(root, 'tmp');
  const pathOf = (sha: string): string => join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
  const pending = new Map<string, Promise<{ isNew: boolean }>>();
  let usage: Promise<{ count: number; bytes: number }> | null = null;
  let refused = 0;

  // Counted once by walking the tree, then kept up to date in memory.
  const scan = async (): Promise<{ count: number; bytes: number }> => {
    const totals = { count: 0, bytes: 0 };
    const walk = async (dir: string, depth: number): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        if (depth < 2 && e.isDirectory() && /^[0-9a-f]{2}$/.test(e.name)) await walk(join(dir, e.name), depth + 1);
        else if (depth === 2 && e.isFile() && SHA256_HEX.test(e.name)) {
          totals.count += 1;
          totals.bytes += (await stat(join(dir, e.name))).size;
        }
      }
    };
    await walk(root, 0);
    return totals;
  };
  const totals = (): Promise<{ count: number; bytes: number }> => (usage ??= scan());
  const exists = (sha: string): Promise<boolean> =>
    stat(pathOf(sha)).then(
      (s) => s.isFile(),
      () => false,
    );

  const store = async (sha: string, bytes: Uint8Array): Promise<{ isNew: boolean }> => {
    const used = await totals();
    if (await exists(sha)) return { isNew: false };
    if (used.bytes + bytes.length > options.maxTotalBytes) {
      refused += 1;
      throw new ArtifactStoreFullError(sha, bytes.length, used.bytes, options.maxTotalBytes);
    }
    used.bytes += bytes.length; // reserved before the await, so concurrent puts cannot overshoot
    try {
      await mkdir(tmp, { recursive: true });
      await mkdir(join(root, sha.slice(0, 2), sha.slice(2, 4)), { recursive: true });
      const temp = join(tmp, `${sha}.${randomBytes(6).toString('hex')}`);
      await writeFile(temp, bytes, { flag: 'wx' });
      await rename(temp, pathOf(sha)).catch(async (error: unknown) => {
        await unlink(temp).catch(() => undefined);
        throw error;
      });
      used.count += 1;
      return { isNew: true };
    } catch (error) {
      used.bytes -= bytes.length;
      throw error;
    }
  };

  return {
    put(sha256, bytes) {
      try {
        checkArtifact(sha256, bytes);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      const inFlight = pending.get(sha256);
      if (inFlight) return inFlight.then(() => ({ isNew: false }));
      const run = store(sha256, bytes).finally(() => pending.delete(sha256));
      pending.set(sha256, run);
      return run;
    },
    async get(sha256) {
      // An id that is not 64 hex characters cannot name a file here, whatever it contains.
      if (!SHA256_HEX.test(sha256)) return null;
      return readFile(pathOf(sha256)).then(
        (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
        () => null,
      );
    },
    async has(sha256) {
      return SHA256_HEX.test(sha256) && exists(sha256);
    },
    async stats() {
      const t = await totals();
      return { count: t.count, bytes: t.bytes, refused };
    },
  };
}
