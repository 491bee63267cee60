// What the concrete artifact stores (disk and memory) share beyond the ArtifactStore port: id checks,
// the refusal error, cap/eviction/retention options, and the management methods the sensor calls.
import { createHash } from 'node:crypto';
import type { ArtifactStore } from '../core/ports.ts';

export const SHA256_HEX = /^[0-9a-f]{64}$/;
export const DAY_MS = 24 * 60 * 60 * 1000;

export type ArtifactEvictReason = 'size-cap' | 'retention';
export type OnArtifactEvict = (sha256: string, size: number, reason: ArtifactEvictReason) => void;

/** Why a put was refused: bigger than the whole cap, cap reached with nothing old enough to evict, disk low. */
export type ArtifactRefusal = 'too-big' | 'full' | 'disk';

/** Thrown by `put` when the bytes cannot be kept; the message always says "full" (callers log it). */
export class ArtifactStoreFullError extends Error {
  readonly reason: ArtifactRefusal;
  constructor(sha256: string, size: number, reason: ArtifactRefusal, detail: string) {
    super(`artifact store full: ${sha256} (${size} bytes) refused, ${detail}`);
    this.name = 'ArtifactStoreFullError';
    this.reason = reason;
  }
}

export interface ArtifactCapOptions {
  readonly maxTotalBytes: number;
  /** Evict the least recently seen samples to make room (default true); false refuses like a full disk. */
  readonly evict?: boolean;
  /** Samples seen more recently than this are never evicted, so a burst cannot flush fresh captures (default 10 min). */
  readonly minAgeMs?: number;
  /** `sweep` deletes samples not seen for this many days; 0 keeps them forever (default 0). */
  readonly retentionDays?: number;
  /** Told of every sample removed by eviction or retention, after it is gone. */
  readonly onEvict?: OnArtifactEvict;
  readonly now?: () => number;
}

export const DEFAULT_MIN_AGE_MS = 10 * 60 * 1000;

export interface ArtifactEntry {
  readonly sha256: string;
  readonly size: number;
  /** When the sample was last stored or stored again (the file's mtime on disk), ms since the epoch. */
  readonly lastSeen: number;
}

export interface ArtifactStoreStats {
  readonly count: number;
  readonly bytes: number;
  readonly maxBytes: number;
  /** Puts refused since the store was opened (cap, size or disk reserve). */
  readonly refused: number;
  /** Samples removed to keep the size cap / by retention since the store was opened. */
  readonly evicted: number;
  readonly expired: number;
}

export interface ManagedArtifactStore extends ArtifactStore {
  stats(): Promise<ArtifactStoreStats>;
  /** Deletes samples last seen before `now - retentionDays`; reports each with reason 'retention'. */
  sweep(now?: number): Promise<{ readonly removed: number; readonly bytes: number }>;
  /** Every stored sample, least recently seen first. */
  list(): Promise<readonly ArtifactEntry[]>;
  /** Deletes one sample (not reported as an eviction); false when it was not stored. */
  remove(sha256: string): Promise<boolean>;
}

/** Checks the id and the bytes agree, so a caller can never store bytes under another hash. */
export function checkArtifact(sha256: string, bytes: Uint8Array): void {
  if (!SHA256_HEX.test(sha256)) throw new TypeError(`not a sha256 hex digest: ${JSON.stringify(sha256.slice(0, 80))}`);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) throw new TypeError(`sha256 mismatch: given ${sha256}, content is ${actual}`);
}

/** Calls the eviction listener; its failure must never break the store. */
export function reportEviction(onEvict: OnArtifactEvict | undefined, entry: ArtifactEntry, reason: ArtifactEvictReason): void {
  try {
    onEvict?.(entry.sha256, entry.size, reason);
  } catch {
    // The listener publishes an event; a bug there is not the store's to handle.
  }
}
