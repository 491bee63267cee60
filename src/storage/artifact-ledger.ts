// The in-memory account of an artifact store: which samples it holds, their sizes and last-seen times,
// bytes reserved by puts in flight, and the eviction choice. Synchronous, so each decision is atomic.
import type { ArtifactCapOptions, ArtifactEntry } from './artifact-store-api.ts';
import { DAY_MS, DEFAULT_MIN_AGE_MS } from './artifact-store-api.ts';

export type Admission = { readonly ok: true; readonly victims: readonly ArtifactEntry[] } | { readonly ok: false; readonly reason: 'too-big' | 'full'; readonly detail: string };

export interface ArtifactLedger {
  readonly count: number;
  /** Bytes of stored samples (reservations not included). */
  readonly bytes: number;
  /** Bytes promised to puts that are still writing. */
  readonly reserved: number;
  has(sha256: string): boolean;
  /** Marks a stored sample as seen now (it becomes the last to be evicted). */
  touch(sha256: string, now: number): void;
  /** Makes room for `size` new bytes: on ok the victims are already out of the ledger and `size` is reserved. */
  admit(size: number, now: number): Admission;
  /** A reservation became a stored sample. */
  commit(sha256: string, size: number, now: number): void;
  /** A reservation was abandoned (the write failed). */
  release(size: number): void;
  /** A sample that was taken out but could not be deleted comes back. */
  restore(entry: ArtifactEntry): void;
  /** Takes out and returns every sample last seen before `cutoff`. */
  expire(cutoff: number): ArtifactEntry[];
  remove(sha256: string): ArtifactEntry | null;
  list(): ArtifactEntry[];
}

/** `initial` must be ordered least recently seen first (a scan sorts by mtime). */
export function createArtifactLedger(options: ArtifactCapOptions, initial: Iterable<ArtifactEntry>): ArtifactLedger {
  const max = options.maxTotalBytes;
  const minAge = options.minAgeMs ?? DEFAULT_MIN_AGE_MS;
  // A Map keeps insertion order; re-inserting on every touch keeps it least-recently-seen first, so
  // choosing victims walks from the front and stops at the first sample too young to go.
  let entries = new Map<string, ArtifactEntry>();
  let bytes = 0;
  let reserved = 0;
  const take = (sha256: string): ArtifactEntry | null => {
    const found = entries.get(sha256);
    if (!found) return null;
    entries.delete(sha256);
    bytes -= found.size;
    return found;
  };
  for (const e of initial) {
    take(e.sha256);
    entries.set(e.sha256, e);
    bytes += e.size;
  }

  return {
    get count() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
    get reserved() {
      return reserved;
    },
    has: (sha256) => entries.has(sha256),
    touch(sha256, now) {
      const found = entries.get(sha256);
      if (!found) return;
      entries.delete(sha256);
      entries.set(sha256, { ...found, lastSeen: now });
    },
    admit(size, now) {
      if (size > max) return { ok: false, reason: 'too-big', detail: `larger than the whole cap of ${max} bytes` };
      const need = bytes + reserved + size - max;
      const victims: ArtifactEntry[] = [];
      let freed = 0;
      if (need > 0 && options.evict !== false) {
        for (const e of entries.values()) {
          if (freed >= need || now - e.lastSeen < minAge) break;
          victims.push(e);
          freed += e.size;
        }
      }
      if (freed < need) {
        const why = options.evict === false ? 'eviction is off' : `no sample is older than ${minAge} ms to evict`;
        return { ok: false, reason: 'full', detail: `${bytes + reserved} of ${max} bytes used and ${why}` };
      }
      for (const v of victims) take(v.sha256);
      reserved += size;
      return { ok: true, victims };
    },
    commit(sha256, size, now) {
      reserved -= size;
      take(sha256);
      entries.set(sha256, { sha256, size, lastSeen: now });
      bytes += size;
    },
    release(size) {
      reserved -= size;
    },
    restore(entry) {
      take(entry.sha256);
      entries = new Map([...entries.values(), entry].sort((a, b) => a.lastSeen - b.lastSeen).map((e) => [e.sha256, e]));
      bytes += entry.size;
    },
    expire(cutoff) {
      // A full pass, not an early stop: a wall clock stepped back can leave the order slightly off.
      const old = [...entries.values()].filter((e) => e.lastSeen < cutoff);
      for (const e of old) take(e.sha256);
      return old;
    },
    remove: take,
    list: () => [...entries.values()],
  };
}

/** The last-seen time before which `sweep` deletes, or null when retention is off. */
export function retentionCutoff(options: ArtifactCapOptions, now: number): number | null {
  const days = options.retentionDays ?? 0;
  return days > 0 ? now - days * DAY_MS : null;
}
