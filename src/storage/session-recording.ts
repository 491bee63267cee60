// Where a session's terminal recording is, from its session.recording event, and its text read with
// a size cap. The stored path is checked against the layout the recorder writes before it is used.
import type { DatabaseSync } from 'node:sqlite';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { text } from './sql-row.ts';
import { SAFE_SESSION_ID } from './recording-fs-store.ts';

export interface RecordingInfo {
  /** Relative to the data directory, e.g. recordings/2026-01-02/<session>.cast. */
  readonly path: string;
  readonly format: string;
  readonly bytes: number;
}

export interface RecordingText extends RecordingInfo {
  readonly text: string;
  /** The file was longer than the cap; `text` is its beginning. */
  readonly truncated: boolean;
}

const LAYOUT = /^recordings\/\d{4}-\d{2}-\d{2}\/([0-9A-Za-z_-]{1,64})\.cast$/;

export function findRecording(db: DatabaseSync, sessionId: string): RecordingInfo | null {
  if (!SAFE_SESSION_ID.test(sessionId)) return null;
  const row = db.prepare("SELECT data FROM events WHERE session = ? AND type = 'session.recording' ORDER BY id DESC LIMIT 1").get(sessionId);
  if (!row) return null;
  const data = JSON.parse(text(row, 'data')) as { path?: unknown; format?: unknown; bytes?: unknown };
  // Only the recorder's own layout for this very session: a stored path never leads elsewhere on the host.
  const path = typeof data.path === 'string' ? data.path : '';
  if (LAYOUT.exec(path)?.[1] !== sessionId) return null;
  return { path, format: typeof data.format === 'string' ? data.format : 'asciicast-v2', bytes: typeof data.bytes === 'number' ? data.bytes : 0 };
}

/** The recording's first `maxBytes` bytes as UTF-8 text, or null when there is none (or the file is gone). */
export async function readRecording(db: DatabaseSync, dataDir: string, sessionId: string, maxBytes: number): Promise<RecordingText | null> {
  const info = findRecording(db, sessionId);
  if (!info) return null;
  const file = await open(join(dataDir, info.path), 'r').catch(() => null);
  if (!file) return null;
  try {
    const size = (await file.stat()).size;
    const buffer = Buffer.alloc(Math.min(size, maxBytes));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    let end = bytesRead;
    // Cut at the last complete line so a truncated recording still parses line by line.
    if (size > maxBytes) end = buffer.lastIndexOf(0x0a, bytesRead - 1) + 1;
    return { ...info, bytes: size, text: buffer.subarray(0, end).toString('utf8'), truncated: size > maxBytes };
  } finally {
    await file.close();
  }
}
