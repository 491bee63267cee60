// Content-addressed artifact store on disk: `<dataDir>/artifacts/ab/cd/<sha256>`, written atomically
// (temp file + rename), stored once, kept under a size cap by evicting the least recently seen samples
// (file mtime = last seen), swept by retention, and never written when the disk is nearly full.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, statfs as nodeStatfs, unlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ArtifactCapOptions, ArtifactEntry, ArtifactEvictReason, ManagedArtifactStore } from './artifact-store-api.ts';
import { ArtifactStoreFullError, checkArtifact, reportEviction, SHA256_HEX } from './artifact-store-api.ts';
import { scanArtifacts } from './artifact-fs-scan.ts';
import { createArtifactLedger, retentionCutoff, type ArtifactLedger } from './artifact-ledger.ts';

export interface FsArtifactStoreOptions extends ArtifactCapOptions {
  readonly dataDir: string;
  /** Refuse to write when the filesystem would keep less than this free (default 1 GiB). */
  readonly minFreeBytes?: number;
  /** Free-space probe; tests inject one. */
  readonly statfs?: (path: string) => Promise<{ readonly bavail: number; readonly bsize: number }>;
}

export const DEFAULT_MIN_FREE_BYTES = 1024 * 1024 * 1024;

const isMissing = (error: unknown): boolean => error instanceof Error && 'code' in error && error.code === 'ENOENT';

export function createFsArtifactStore(options: FsArtifactStoreOptions): ManagedArtifactStore {
  const root = join(options.dataDir, 'artifacts');
  const tmp = join(root, 'tmp');
  const now = options.now ?? Date.now;
  const statfs = options.statfs ?? nodeStatfs;
  const minFree = options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES;
  const pathOf = (sha: string): string => join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
  const pending = new Map<string, Promise<{ isNew: boolean }>>();
  // Unlinks in flight: a put of the same bytes waits, or the unlink could delete the new file.
  const deleting = new Map<string, Promise<unknown>>();
  const counters = { refused: 0, evicted: 0, expired: 0 };
  let opened: Promise<ArtifactLedger> | null = null;
  const ledger = (): Promise<ArtifactLedger> =>
    (opened ??= scanArtifacts(root, tmp, now()).then(
      (entries) => createArtifactLedger(options, entries),
      (error: unknown) => {
        opened = null; // a failed scan is retried by the next call
        throw error;
      },
    ));

  /** Deletes the file; the ledger already no longer counts it. Resolves to the error, if any. */
  const unlinkSample = (sha: string): Promise<unknown> => {
    const done = unlink(pathOf(sha)).then(
      () => null,
      (error: unknown) => (isMissing(error) ? null : error),
    );
    deleting.set(sha, done);
    void done.then(() => deleting.get(sha) === done && deleting.delete(sha));
    return done;
  };

  /** Deletes taken-out samples and reports them; one that cannot be deleted goes back into the ledger. */
  const discard = async (l: ArtifactLedger, victims: readonly ArtifactEntry[], reason: ArtifactEvictReason): Promise<{ gone: ArtifactEntry[]; error: unknown }> => {
    const errors = await Promise.all(victims.map((v) => unlinkSample(v.sha256)));
    const gone: ArtifactEntry[] = [];
    victims.forEach((v, i) => {
      if (errors[i] !== null) return l.restore(v);
      gone.push(v);
      counters[reason === 'size-cap' ? 'evicted' : 'expired'] += 1;
      reportEviction(options.onEvict, v, reason);
    });
    return { gone, error: errors.find((e) => e !== null) ?? null };
  };

  const writeAtomically = async (sha: string, bytes: Uint8Array, at: number): Promise<void> => {
    await mkdir(tmp, { recursive: true });
    await mkdir(dirname(pathOf(sha)), { recursive: true });
    const temp = join(tmp, `${sha}.${randomBytes(6).toString('hex')}`);
    try {
      await writeFile(temp, bytes, { flag: 'wx' });
      await utimes(temp, at / 1000, at / 1000);
      await rename(temp, pathOf(sha));
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  };

  const refused = (error: ArtifactStoreFullError): ArtifactStoreFullError => {
    counters.refused += 1;
    return error;
  };

  const store = async (sha: string, bytes: Uint8Array): Promise<{ isNew: boolean }> => {
    const l = await ledger();
    // No unlink of `sha` may be in flight when it is found absent; the check and the decision share
    // one synchronous step, after which only this put can bring `sha` back into the ledger.
    for (let d = deleting.get(sha); d; d = deleting.get(sha)) await d;
    if (l.has(sha)) {
      // Stored again: only the last-seen time moves (one utimes, no rewrite).
      const at = now();
      l.touch(sha, at);
      const touched = await utimes(pathOf(sha), at / 1000, at / 1000).then(
        () => true,
        () => false,
      );
      if (touched) return { isNew: false };
      // The file is gone: deleted behind the store's back, or evicted meanwhile (then wait for that
      // unlink). Either way it is written again.
      l.remove(sha);
      for (let d = deleting.get(sha); d; d = deleting.get(sha)) await d;
    }
    // Only bytes about to be written are hashed here: a known sample costs the caller's hash and one lookup.
    checkArtifact(sha, bytes);
    const fs = await statfs(root);
    const free = fs.bavail * fs.bsize - l.reserved;
    if (free - bytes.length < minFree) {
      throw refused(new ArtifactStoreFullError(sha, bytes.length, 'disk', `${free} bytes free on disk, ${minFree} kept in reserve`));
    }
    const at = now();
    const admission = l.admit(bytes.length, at);
    if (!admission.ok) throw refused(new ArtifactStoreFullError(sha, bytes.length, admission.reason, admission.detail));
    try {
      const { error } = await discard(l, admission.victims, 'size-cap');
      if (error !== null) throw error;
      await writeAtomically(sha, bytes, at);
    } catch (error) {
      l.release(bytes.length);
      throw error;
    }
    l.commit(sha, bytes.length, at);
    return { isNew: true };
  };

  return {
    put(sha256, bytes) {
      if (!SHA256_HEX.test(sha256)) return Promise.reject(new TypeError(`not a sha256 hex digest: ${JSON.stringify(sha256.slice(0, 80))}`));
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
      if (!SHA256_HEX.test(sha256)) return false;
      return stat(pathOf(sha256)).then(
        (s) => s.isFile(),
        () => false,
      );
    },
    async stats() {
      const l = await ledger();
      return { count: l.count, bytes: l.bytes, maxBytes: options.maxTotalBytes, ...counters };
    },
    async sweep(at = now()) {
      const l = await ledger();
      const cutoff = retentionCutoff(options, at);
      const old = cutoff === null ? [] : l.expire(cutoff);
      const { gone, error } = await discard(l, old, 'retention');
      if (error !== null) throw error;
      return { removed: gone.length, bytes: gone.reduce((sum, e) => sum + e.size, 0) };
    },
    async list() {
      return (await ledger()).list();
    },
    async remove(sha256) {
      if (!SHA256_HEX.test(sha256)) return false;
      await pending.get(sha256)?.catch(() => undefined);
      const l = await ledger();
      const entry = l.remove(sha256);
      if (!entry) return false;
      const failed = await unlinkSample(sha256);
      if (failed === null) return true;
      l.restore(entry);
      throw failed;
    },
  };
}
