// Terminal recordings on disk: asciicast v2 lines in `<dataDir>/recordings/<yyyy-mm-dd>/<session>.cast`
// (UTC day the session started). The session id must be a safe token; each recording has a size cap.
import { mkdir, readdir, rm } from 'node:fs/promises';
import { createAppendThread, type Appender } from './append-thread.ts';
import { join } from 'node:path';
import type { RecordingStore, RecordingWriter } from '../core/ports.ts';
import type { Logger } from '../core/ports.ts';

/** ULIDs and other plain tokens; nothing that could be a path. */
export const SAFE_SESSION_ID = /^[0-9A-Za-z_-]{1,64}$/;

export interface FsRecordingStoreOptions {
  readonly dataDir: string;
  readonly maxBytesPerRecording: number;
  readonly now: () => number;
  readonly logger: Logger;
}

export interface FsRecordingStore extends RecordingStore {
  /** Path (absolute) of a session's recording, or null when there is none. */
  locate(sessionId: string): Promise<string | null>;
}

export function createFsRecordingStore(options: FsRecordingStoreOptions): FsRecordingStore {
  const root = join(options.dataDir, 'recordings');
  // One mkdir per day directory, not per session.
  const dayDirs = new Map<string, Promise<void>>();
  // File writes happen in one worker thread, off the thread that serves attackers.
  const appender = createAppendThread();
  return {
    open(sessionId) {
      if (!SAFE_SESSION_ID.test(sessionId)) throw new TypeError(`unsafe session id for a recording: ${JSON.stringify(sessionId.slice(0, 80))}`);
      const day = new Date(options.now()).toISOString().slice(0, 10);
      const relative = `recordings/${day}/${sessionId}.cast`;
      let dirReady = dayDirs.get(day);
      if (!dirReady) {
        dirReady = mkdir(join(root, day), { recursive: true }).then(() => undefined);
        dayDirs.set(day, dirReady);
      }
      return createWriter(dirReady, join(root, day, `${sessionId}.cast`), relative, options, appender);
    },
    async locate(sessionId) {
      if (!SAFE_SESSION_ID.test(sessionId)) return null;
      const days = (await readdir(root).catch((): string[] => [])).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort().reverse();
      for (const day of days) {
        if ((await readdir(join(root, day)).catch((): string[] => [])).includes(`${sessionId}.cast`)) return join(root, day, `${sessionId}.cast`);
      }
      return null;
    },
  };
}

/**
 * Lines wait in memory this long, or until this many bytes, before they are appended to the file:
 * most bot sessions are shorter, so their recording costs one file open. The events, not the
 * recording, are the durable record.
 */
const FLUSH_DELAY_MS = 15_000;
const FLUSH_BYTES = 64 * 1024;

/**
 * Buffers appended lines and appends them to the file in the background, in order; stops at the
 * size cap. No file stays open between flushes: an idle session costs memory, not a descriptor.
 */
function createWriter(dirReady: Promise<void>, path: string, relative: string, options: FsRecordingStoreOptions, appender: Appender): RecordingWriter {
  let accepted = 0; // bytes accepted for writing (the cap applies to these)
  let written = 0;
  let truncated = false;
  let closed = false;
  let buffer: string[] = [];
  let bufferedBytes = 0;
  let failed = false;
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<void> = dirReady.catch((error: unknown) => {
    failed = true;
    options.logger.warn('recording could not be opened', { path: relative, error: String(error) });
  });

  const writeOut = async (): Promise<void> => {
    const data = buffer.join('');
    buffer = [];
    bufferedBytes = 0;
    if (failed || data === '') return;
    try {
      await appender.append(path, data);
      written += Buffer.byteLength(data);
    } catch (error) {
      failed = true;
      options.logger.warn('recording write failed; the rest of this recording is lost', { path: relative, error: String(error) });
    }
  };
  const flushNow = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    chain = chain.then(writeOut);
  };

  return {
    append(line) {
      if (closed || truncated) return;
      const text = `${line}\n`;
      const size = Buffer.byteLength(text);
      if (accepted + size > options.maxBytesPerRecording) {
        truncated = true;
        options.logger.warn('recording reached its size cap; later output is not recorded', { path: relative, max: options.maxBytesPerRecording });
        return;
      }
      accepted += size;
      bufferedBytes += size;
      buffer.push(text);
      if (bufferedBytes >= FLUSH_BYTES) flushNow();
      else timer ??= setTimeout(flushNow, FLUSH_DELAY_MS);
    },
    async close() {
      if (!closed) {
        closed = true;
        flushNow();
      }
      await chain.catch(() => undefined);
      return { path: relative, bytes: written };
    },
    async discard() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      buffer = [];
      bufferedBytes = 0;
      await chain.catch(() => undefined);
      // Only a recording that outgrew its memory buffer has reached the disk.
      if (written > 0) await rm(path, { force: true }).catch(() => undefined);
    },
  };
}
