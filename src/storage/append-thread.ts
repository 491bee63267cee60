// Appends text or bytes to files from a worker thread, so the many small file writes of terminal recordings
// (an open, a write and a close each) cost the session thread one message per batch instead.
import { Worker } from 'node:worker_threads';

export interface Appender {
  /** Resolves once `data` is appended to the file at `path`. */
  append(path: string, data: string | Uint8Array | readonly Uint8Array[]): Promise<void>;
}

interface Job {
  readonly id: number;
  readonly path: string;
  readonly data: string | Uint8Array | readonly Uint8Array[];
}

// Synchronous appends: the thread does nothing else, and a hop through libuv's pool per file would
// cost more than the write. One reply per batch, in order.
const source = `
const { parentPort } = require('node:worker_threads');
const { appendFileSync, closeSync, openSync, writevSync } = require('node:fs');
const appendAll = (path, chunks) => {
  const fd = openSync(path, 'a');
  try {
    writevSync(fd, chunks);
  } finally {
    closeSync(fd);
  }
};
parentPort.on('message', (jobs) => {
  const results = [];
  for (const { id, path, data } of jobs) {
    try {
      if (Array.isArray(data)) appendAll(path, data);
      else appendFileSync(path, data);
      results.push({ id, error: null });
    } catch (error) {
      results.push({ id, error: String((error && error.message) || error) });
    }
  }
  parentPort.postMessage(results);
});
`;

/**
 * One worker for the whole store; it keeps the process alive only while writes are pending.
 * Appends requested in the same turn of the event loop travel in one message (short bot
 * sessions end by the dozen per turn).
 */
export function createAppendThread(): Appender {
  let worker: Worker | null = null;
  let next = 0;
  let queued: Job[] = [];
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  const start = (): Worker => {
    const w = new Worker(source, { eval: true });
    w.on('message', (results: readonly { id: number; error: string | null }[]) => {
      for (const { id, error } of results) {
        const waiter = pending.get(id);
        pending.delete(id);
        if (error === null) waiter?.resolve();
        else waiter?.reject(new Error(error));
      }
      if (pending.size === 0) w.unref();
    });
    const fail = (error: Error): void => {
      worker = null;
      for (const waiter of pending.values()) waiter.reject(error);
      pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`append thread exited (code ${code})`)));
    return w;
  };
  const send = (): void => {
    const jobs = queued;
    queued = [];
    worker ??= start();
    // Byte chunks are handed over, not copied: a relay's capture is as large as its traffic.
    const moved = new Set<ArrayBuffer>();
    for (const job of jobs) {
      if (!Array.isArray(job.data)) continue;
      for (const chunk of job.data as readonly Uint8Array[]) {
        // Only a chunk that owns its whole buffer is moved; views into shared buffers are copied.
        const owns = chunk.buffer instanceof ArrayBuffer && chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && chunk.byteLength > 0;
        if (owns) moved.add(chunk.buffer as ArrayBuffer);
      }
    }
    worker.postMessage(jobs, [...moved]);
  };
  return {
    /** Arrays of chunks are transferred to the thread: the caller must not touch them afterwards. */
    append(path, data) {
      const id = next++;
      return new Promise((resolve, reject) => {
        // Referenced only while a write is pending: an idle thread never holds the process open.
        if (pending.size === 0) (worker ??= start()).ref();
        pending.set(id, { resolve, reject });
        if (queued.length === 0) setImmediate(send);
        queued.push({ id, path, data });
      });
    },
  };
}
