// Keeps what an attacker leaves on the device: hashes the bytes at once, emits `file.write`, and
// stores them in the artifact store in the background. Storage errors are logged, never thrown into
// the session. Empty files are real writes too: they are captured (and deduplicated) like any other.
import { createHash } from 'node:crypto';
import type { ArtifactStore, CapturePort, CaptureReason, Logger, SessionEmitter } from '../core/ports.ts';

export interface CaptureOptions {
  readonly store: ArtifactStore;
  readonly events: SessionEmitter;
  readonly logger: Pick<Logger, 'warn'>;
  /**
   * True for bytes equal to one of the persona's own files: a copy of one (`cp /bin/echo x`, as
   * Mirai's loader does) is not attacker content, so it is neither stored nor reported.
   */
  readonly isPersonaFile?: (bytes: Uint8Array) => boolean;
  /** Called once the bytes are stored for the first time anywhere (for analysis). */
  readonly onNewSample?: (sha256: string, bytes: Uint8Array) => void;
}

export interface Capture extends CapturePort {
  /** Resolves when every store started so far has finished (for session close and tests). */
  idle(): Promise<void>;
}

export function createCapture(options: CaptureOptions): Capture {
  const { store, events, logger } = options;
  // Hashes this session already handed to the store: the same bytes are stored once.
  const stored = new Set<string>();
  const pending = new Set<Promise<void>>();
  // path + hash already reported in this session: the same file seen again at session end is not news.
  const reported = new Set<string>();

  return {
    capture(path: string, bytes: Uint8Array, reason: CaptureReason): string | null {
      if (options.isPersonaFile?.(bytes)) return null;
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const key = `${path}\0${sha256}`;
      if (!reported.has(key)) {
        reported.add(key);
        events.emit('file.write', { path, sha256, size: bytes.length, reason });
      }
      if (!stored.has(sha256)) {
        stored.add(sha256);
        // Copied now: the caller's buffer may change after this returns.
        const copy = new Uint8Array(bytes);
        const job: Promise<void> = store
          .put(sha256, copy)
          .then(
            ({ isNew }) => {
              if (isNew) options.onNewSample?.(sha256, copy);
            },
            (error: unknown) => {
              stored.delete(sha256);
              logger.warn('captured file could not be stored', {
                session: events.sessionId,
                path,
                sha256,
                size: copy.length,
                error: error instanceof Error ? error.message : String(error),
              });
            },
          )
          .finally(() => pending.delete(job));
        pending.add(job);
      }
      return sha256;
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
