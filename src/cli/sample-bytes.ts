// Reads a sample's bytes from the artifact store for export and re-analysis, checking they still hash
// to the id (a file changed on disk is reported, never exported or analysed under the wrong name).
import { createHash } from 'node:crypto';
import { createFsArtifactStore } from '../storage/artifact-fs-store.ts';

export type StoredBytes =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly reason: 'missing' | 'corrupt'; readonly detail: string };

export interface SampleReader {
  read(sha256: string): Promise<StoredBytes>;
}

export function createSampleReader(dataDir: string): SampleReader {
  // Reads never touch the size cap; the store needs one to be constructed.
  const store = createFsArtifactStore({ dataDir, maxTotalBytes: Number.MAX_SAFE_INTEGER });
  return {
    async read(sha256) {
      const bytes = await store.get(sha256);
      if (bytes === null) return { ok: false, reason: 'missing', detail: `the bytes of ${sha256} are not in the artifact store` };
      const actual = createHash('sha256').update(bytes).digest('hex');
      if (actual !== sha256) return { ok: false, reason: 'corrupt', detail: `the stored file for ${sha256} hashes to ${actual}: changed on disk` };
      return { ok: true, bytes };
    },
  };
}
