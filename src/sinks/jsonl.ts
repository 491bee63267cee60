// JSON-lines sink: one event per line in daily files `events-YYYY-MM-DD.jsonl` (UTC, by write time),
// rotated to `.1`, `.2`, ... (higher is newer) past a size cap, oldest files deleted past a total cap.
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { HachiEvent } from '../core/events.ts';
import type { EventSink } from '../core/ports.ts';
import type { SinkContext } from './sink-factory.ts';

export interface JsonlSinkConfig {
  /** Directory under the data directory (default `events`). */
  readonly dir?: string;
  readonly maxFileBytes?: number;
  readonly maxTotalBytes?: number;
  /** fsync after every batch: survives power loss, costs throughput. */
  readonly fsync?: boolean;
}

const FILE = /^events-(\d{4}-\d{2}-\d{2})\.jsonl(?:\.(\d+))?$/;

interface LogFile {
  readonly name: string;
  readonly day: string;
  readonly part: number;
  size: number;
}

/** Oldest first: by day, then rotated parts in order, the active (unnumbered) file last. */
function byAge(a: LogFile, b: LogFile): number {
  const pa = a.part === 0 ? Infinity : a.part;
  const pb = b.part === 0 ? Infinity : b.part;
  return a.day < b.day ? -1 : a.day > b.day ? 1 : pa - pb;
}

async function listFiles(dir: string): Promise<LogFile[]> {
  const files: LogFile[] = [];
  for (const name of await readdir(dir)) {
    const m = FILE.exec(name);
    if (!m) continue;
    files.push({ name, day: m[1]!, part: m[2] ? Number(m[2]) : 0, size: (await stat(join(dir, name))).size });
  }
  return files.sort(byAge);
}

export async function openJsonlSink(config: JsonlSinkConfig, context: SinkContext): Promise<EventSink> {
  const dir = join(context.dataDir, config.dir ?? 'events');
  const maxFileBytes = config.maxFileBytes ?? 256 * 1024 * 1024;
  const maxTotalBytes = config.maxTotalBytes ?? 4 * 1024 * 1024 * 1024;
  await mkdir(dir, { recursive: true });
  const files = await listFiles(dir);
  let active: { file: LogFile; handle: FileHandle } | null = null;
  let closed = false;
  let chain: Promise<void> = Promise.resolve();

  const activate = async (day: string): Promise<{ file: LogFile; handle: FileHandle }> => {
    if (active && active.file.day === day) return active;
    await active?.handle.close();
    const name = `events-${day}.jsonl`;
    const file = files.find((f) => f.name === name) ?? { name, day, part: 0, size: 0 };
    if (!files.includes(file)) files.push(file);
    active = { file, handle: await open(join(dir, name), 'a') };
    return active;
  };
  const rotate = async (current: { file: LogFile; handle: FileHandle }): Promise<void> => {
    await current.handle.close();
    active = null;
    const part = Math.max(0, ...files.filter((f) => f.day === current.file.day).map((f) => f.part)) + 1;
    const rotated = `${current.file.name}.${part}`;
    await rename(join(dir, current.file.name), join(dir, rotated));
    files.splice(files.indexOf(current.file), 1, { name: rotated, day: current.file.day, part, size: current.file.size });
    files.sort(byAge);
  };
  const enforceTotal = async (): Promise<void> => {
    let total = files.reduce((sum, f) => sum + f.size, 0);
    for (const f of [...files]) {
      if (total <= maxTotalBytes) break;
      if (active?.file === f) continue;
      await unlink(join(dir, f.name)).catch(() => undefined);
      files.splice(files.indexOf(f), 1);
      total -= f.size;
    }
  };
  const writeBatch = async (batch: readonly HachiEvent[]): Promise<void> => {
    const day = new Date(context.now()).toISOString().slice(0, 10);
    let target = await activate(day);
    let pending: string[] = [];
    let pendingBytes = 0;
    const drain = async (): Promise<void> => {
      if (pending.length === 0) return;
      await target.handle.write(pending.join(''));
      target.file.size += pendingBytes;
      pending = [];
      pendingBytes = 0;
    };
    for (const event of batch) {
      const line = `${JSON.stringify(event)}\n`;
      const bytes = Buffer.byteLength(line);
      if (target.file.size + pendingBytes > 0 && target.file.size + pendingBytes + bytes > maxFileBytes) {
        await drain();
        if (config.fsync) await target.handle.datasync();
        await rotate(target);
        target = await activate(day);
      }
      pending.push(line);
      pendingBytes += bytes;
    }
    await drain();
    if (config.fsync) await target.handle.datasync();
    await enforceTotal();
  };

  return {
    name: 'jsonl',
    write(batch) {
      if (closed) return Promise.reject(new Error('jsonl sink is closed'));
      const run = chain.then(() => writeBatch(batch));
      chain = run.catch(() => undefined);
      return run;
    },
    async close() {
      if (closed) return chain;
      closed = true;
      await chain;
      await active?.handle.close();
      active = null;
    },
  };
}

/** Reads every event back, oldest file first (for tests and tools; not for large stores). */
export async function readJsonlEvents(dataDir: string, dirName = 'events'): Promise<HachiEvent[]> {
  const dir = join(dataDir, dirName);
  const events: HachiEvent[] = [];
  for (const f of await listFiles(dir)) {
    for (const line of (await readFile(join(dir, f.name), 'utf8')).split('\n')) {
      if (line !== '') events.push(JSON.parse(line) as HachiEvent);
    }
  }
  return events;
}
