// Packet captures of relayed sessions on disk: `<dataDir>/captures/<yyyy-mm-dd>/<session>.pcapng`,
// appended in the background by the shared append thread, in batches, up to a size cap per capture.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Appender } from './append-thread.ts';
import { SAFE_SESSION_ID } from './recording-fs-store.ts';

export interface CaptureWriter {
  /** Queues bytes for the file; false once the cap is reached (nothing more is kept). */
  append(bytes: Uint8Array): boolean;
  close(): Promise<{ readonly path: string; readonly bytes: number; readonly truncated: boolean }>;
}

export interface CaptureStore {
  open(sessionId: string, maxBytes: number): CaptureWriter;
}

/** Bytes gathered before one append: a 100 MB transfer costs a few hundred appends, not thousands. */
const FLUSH_BYTES = 1024 * 1024;
const FLUSH_DELAY_MS = 1000;

export function createFsCaptureStore(options: { readonly dataDir: string; readonly now: () => number; readonly appender: Appender }): CaptureStore {
  const dayDirs = new Map<string, Promise<void>>();
  return {
    open(sessionId, maxBytes) {
      if (!SAFE_SESSION_ID.test(sessionId)) throw new TypeError(`unsafe session id for a capture: ${JSON.stringify(sessionId.slice(0, 80))}`);
      const day = new Date(options.now()).toISOString().slice(0, 10);
      let ready = dayDirs.get(day);
      if (!ready) {
        ready = mkdir(join(options.dataDir, 'captures', day), { recursive: true }).then(() => undefined);
        dayDirs.set(day, ready);
      }
      const relative = `captures/${day}/${sessionId}.pcapng`;
      const path = join(options.dataDir, relative);
      let chain: Promise<unknown> = ready;
      let pending: Uint8Array[] = [];
      let pendingBytes = 0;
      let accepted = 0;
      let truncated = false;
      let timer: NodeJS.Timeout | null = null;
      let failed: unknown = null;
      const flush = (): void => {
        if (timer) clearTimeout(timer);
        timer = null;
        if (pending.length === 0) return;
        // The chunks are the encoder's own buffers: moved to the append thread, never copied.
        const data = pending;
        pending = [];
        pendingBytes = 0;
        chain = chain.then(() => options.appender.append(path, data)).catch((error: unknown) => (failed ??= error));
      };
      return {
        append(bytes) {
          if (truncated) return false;
          if (bytes.length === 0) return true;
          if (accepted + bytes.length > maxBytes) {
            truncated = true;
            return false;
          }
          accepted += bytes.length;
          pending.push(bytes);
          pendingBytes += bytes.length;
          if (pendingBytes >= FLUSH_BYTES) flush();
          else timer ??= setTimeout(flush, FLUSH_DELAY_MS).unref();
          return true;
        },
        async close() {
          flush();
          await chain.catch(() => undefined);
          return { path: relative, bytes: failed === null ? accepted : 0, truncated };
        },
      };
    },
  };
}
