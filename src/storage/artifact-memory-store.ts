// In-memory artifact store with the same rules as the disk one (checked ids, dedupe, size cap with
// eviction, retention), for tests and for running without a data directory.
import type { ArtifactCapOptions, ManagedArtifactStore } from './artifact-store-api.ts';
import { ArtifactStoreFullError, checkArtifact, reportEviction, SHA256_HEX } from './artifact-store-api.ts';
import { createArtifactLedger, retentionCutoff } from './artifact-ledger.ts';

export function createMemoryArtifactStore(options: ArtifactCapOptions): ManagedArtifactStore {
  const now = options.now ?? Date.now;
  const items = new Map<string, Uint8Array>();
  const ledger = createArtifactLedger(options, []);
  const counters = { refused: 0, evicted: 0, expired: 0 };
  return {
    async put(sha256, bytes) {
      if (!SHA256_HEX.test(sha256)) throw new TypeError(`not a sha256 hex digest: ${JSON.stringify(sha256.slice(0, 80))}`);
      const at = now();
      if (ledger.has(sha256)) {
        ledger.touch(sha256, at);
        return { isNew: false };
      }
      checkArtifact(sha256, bytes);
      const admission = ledger.admit(bytes.length, at);
      if (!admission.ok) {
        counters.refused += 1;
        throw new ArtifactStoreFullError(sha256, bytes.length, admission.reason, admission.detail);
      }
      for (const victim of admission.victims) {
        items.delete(victim.sha256);
        counters.evicted += 1;
        reportEviction(options.onEvict, victim, 'size-cap');
      }
      items.set(sha256, new Uint8Array(bytes));
      ledger.commit(sha256, bytes.length, at);
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
      return { count: ledger.count, bytes: ledger.bytes, maxBytes: options.maxTotalBytes, ...counters };
    },
    async sweep(at = now()) {
      const cutoff = retentionCutoff(options, at);
      const old = cutoff === null ? [] : ledger.expire(cutoff);
      for (const e of old) {
        items.delete(e.sha256);
        counters.expired += 1;
        reportEviction(options.onEvict, e, 'retention');
      }
      return { removed: old.length, bytes: old.reduce((sum, e) => sum + e.size, 0) };
    },
    async list() {
      return ledger.list();
    },
    async remove(sha256) {
      if (!SHA256_HEX.test(sha256) || !ledger.remove(sha256)) return false;
      return items.delete(sha256);
    },
  };
}
