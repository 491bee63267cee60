// On-disk spool for one sink: events that could not be delivered yet, as JSON lines, oldest first.
// Bounded in bytes (the oldest are dropped past the cap); the read position is kept in a sidecar
// `.offset` file so a restart replays only what the sink had not acknowledged (at-least-once).
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { HachiEvent } from '../core/events.ts';

export interface FileSpool {
  /** Events waiting in the file. */
  readonly count: number;
  /** Opens the file and counts what a previous run left; `dropped` is what the cap cut. */
  open(): Promise<{ readonly recovered: number; readonly dropped: number }>;
  /** Appends events; returns how many of the oldest were dropped to stay under the cap. */
  append(events: readonly HachiEvent[]): Promise<number>;
  /** Removes up to `max` of the oldest events; they stay in the file until `ack`. */
  take(max: number): Promise<{ readonly events: HachiEvent[]; readonly corrupt: number }>;
  /** Records that everything taken so far was delivered. */
  ack(): Promise<void>;
  close(): Promise<void>;
}

const READ_CHUNK = 1 << 20;

export function createFileSpool(path: string, maxBytes: number): FileSpool {
  let fh: FileHandle | null = null;
  let size = 0;
  let readOffset = 0;
  let ackedOffset = 0;
  // Byte lengths of the live lines (after readOffset), as a deque.
  let lengths: number[] = [];
  let head = 0;
  let liveBytes = 0;
  const offsetPath = `${path}.offset`;

  const handle = (): FileHandle => {
    if (!fh) throw new Error(`spool ${path} is not open`);
    return fh;
  };
  const dropOldest = (): number => {
    let dropped = 0;
    while (liveBytes > maxBytes && head < lengths.length) {
      const len = lengths[head++]!;
      readOffset += len;
      liveBytes -= len;
      dropped += 1;
    }
    return dropped;
  };
  const compactLengths = (): void => {
    if (head > 4096 && head * 2 > lengths.length) {
      lengths = lengths.slice(head);
      head = 0;
    }
  };
  // Keeps the file small: empty it when drained, rewrite it when the dead prefix grows large.
  const reclaim = async (): Promise<void> => {
    if (ackedOffset !== readOffset || readOffset === 0) return;
    if (head === lengths.length) {
      await handle().truncate(0);
      size = readOffset = ackedOffset = 0;
      lengths = [];
      head = 0;
      await writeFile(offsetPath, '0');
    } else if (readOffset > Math.max(READ_CHUNK, maxBytes / 2)) {
      const live = Buffer.alloc(size - readOffset);
      await handle().read(live, 0, live.length, readOffset);
      await writeFile(`${path}.tmp`, live);
      await handle().close();
      await rename(`${path}.tmp`, path);
      fh = await open(path, 'a+');
      size = live.length;
      readOffset = ackedOffset = 0;
      await writeFile(offsetPath, '0');
    }
  };

  return {
    get count() {
      return lengths.length - head;
    },
    async open() {
      await mkdir(dirname(path), { recursive: true });
      fh = await open(path, 'a+');
      size = (await fh.stat()).size;
      const saved = Number.parseInt(await readFile(offsetPath, 'utf8').catch(() => '0'), 10);
      readOffset = ackedOffset = Number.isSafeInteger(saved) && saved >= 0 && saved <= size ? saved : 0;
      // Index the line lengths; cut a torn last line (a crash mid-append).
      const buf = Buffer.alloc(READ_CHUNK);
      let pos = readOffset;
      let lineStart = readOffset;
      while (pos < size) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(READ_CHUNK, size - pos), pos);
        if (bytesRead === 0) break;
        for (let i = buf.indexOf(10, 0); i !== -1 && i < bytesRead; i = buf.indexOf(10, i + 1)) {
          const end = pos + i + 1;
          lengths.push(end - lineStart);
          liveBytes += end - lineStart;
          lineStart = end;
        }
        pos += bytesRead;
      }
      if (lineStart < size) {
        await fh.truncate(lineStart);
        size = lineStart;
      }
      const dropped = dropOldest();
      return { recovered: lengths.length - head, dropped };
    },
    async append(events) {
      if (events.length === 0) return 0;
      const lines = events.map((e) => `${JSON.stringify(e)}\n`);
      const buf = Buffer.from(lines.join(''));
      await handle().write(buf, 0, buf.length, size);
      size += buf.length;
      for (const line of lines) {
        const len = Buffer.byteLength(line);
        lengths.push(len);
        liveBytes += len;
      }
      const dropped = dropOldest();
      compactLengths();
      await reclaim();
      return dropped;
    },
    async take(max) {
      const n = Math.min(max, lengths.length - head);
      let total = 0;
      for (let i = head; i < head + n; i++) total += lengths[i]!;
      const buf = Buffer.alloc(total);
      if (total > 0) await handle().read(buf, 0, total, readOffset);
      readOffset += total;
      liveBytes -= total;
      head += n;
      compactLengths();
      const events: HachiEvent[] = [];
      let corrupt = 0;
      for (const line of buf.toString('utf8').split('\n')) {
        if (line === '') continue;
        const parsed = parseEvent(line);
        if (parsed) events.push(parsed);
        else corrupt += 1;
      }
      return { events, corrupt };
    },
    async ack() {
      if (ackedOffset === readOffset) return;
      ackedOffset = readOffset;
      await writeFile(offsetPath, String(ackedOffset));
      await reclaim();
    },
    async close() {
      const h = fh;
      fh = null;
      await h?.close();
    },
  };
}

/** The spool only holds what this process wrote, so a shape check (not a full schema) suffices. */
function parseEvent(line: string): HachiEvent | null {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && 'id' in value && 'type' in value && typeof value.id === 'string' && typeof value.type === 'string') {
      return value as HachiEvent;
    }
  } catch {
    // A torn or foreign line: counted as corrupt by the caller.
  }
  return null;
}
