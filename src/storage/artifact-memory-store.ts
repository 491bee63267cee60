// In-memory artifact store with the same rules as the disk one (checked ids, dedupe, size cap), for
// tests and for running without a data directory.
import type { SizedArtifactStore } from './artifact-fs-store.ts';
import { ArtifactStoreFullError, checkArtifact, SHA256_HEX } from './artifact-fs-store.ts';

export function createMemoryArtifactStore(options: { readonly maxTotalBytes: number }): SizedArtifactStore {
  const items = new Map<string, Uint8Array>();
  let bytesUsed = 0;
  let refused = 0;
  return {
    async put(sha256, bytes) {
      checkArtifact(sha256, bytes);
      if (items.has(sha256)) return { isNew: false };
      if (bytesUsed + bytes.length > options.maxTotalBytes) {
        refused += 1;
        throw new ArtifactStoreFullError(sha256, bytes.length, bytesUsed, options.maxTotalBytes);
      }
      items.set(sha256, new Uint8Array(bytes));
      bytesUsed += bytes.length;
      return { isNew: true };
    },
    async get(sha256) {
      const found = SHA256_HEX.test(sha256) ? items.get(sha256) : undefined;
      return found ? new Uint8Array(found) : null;
    },
    async has(sha256) {
      return SHA256_HEX.test(sha256) && items.has(sha256);
    },
    async stats() {
      return { count: items.size, bytes: bytesUsed, refused };
    },
  };
}
