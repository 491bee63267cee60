// Terminal recordings on disk: asciicast v2 lines in `<dataDir>/recordings/<yyyy-mm-dd>/<session>.cast`
// (UTC day the session started). The session id must be a safe token; each recording has a size cap.
import { mkdir, open, readdir } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
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
  return {
    open(sessionId) {
      if (!SAFE_SESSION_ID.test(sessionId)) throw new TypeError(`unsafe session id for a recording: ${JSON.stringify(sessionId.slice(0, 80))}`);
      const day = new Date(options.now()).toISOString().slice(0, 10);
      const relative = `recordings/${day}/${sessionId}.cast`;
      return createWriter(join(root, day), join(root, day, `${sessionId}.cast`), relative, options);
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

/** Buffers appended lines and writes them in the background, in order; stops at the size cap. */
function createWriter(dir: string, path: string, relative: string, options: FsRecordingStoreOptions): RecordingWriter {
  let accepted = 0; // bytes accepted for writing (the cap applies to these)
  let written = 0;
  let truncated = false;
  let closed = false;
  let buffer: string[] = [];
  let failed = false;
  const handle: Promise<FileHandle | null> = mkdir(dir, { recursive: true })
    .then(() => open(path, 'w'))
    .catch((error: unknown) => {
      failed = true;
      options.logger.warn('recording could not be opened', { path: relative, error: String(error) });
      return null;
    });
  let chain: Promise<void> = Promise.resolve();
  let scheduled = false;

  const writeOut = async (): Promise<void> => {
    scheduled = false;
    const fh = await handle;
    const data = buffer.join('');
    buffer = [];
    if (!fh || failed || data === '') return;
    try {
      await fh.write(data);
      written += Buffer.byteLength(data);
    } catch (error) {
      failed = true;
      options.logger.warn('recording write failed; the rest of this recording is lost', { path: relative, error: String(error) });
    }
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
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
      buffer.push(text);
      schedule();
    },
    async close() {
      if (!closed) {
        closed = true;
        chain = chain.then(writeOut).then(async () => {
          await (await handle)?.close();
        });
      }
      await chain.catch(() => undefined);
      return { path: relative, bytes: written };
    },
  };
}
