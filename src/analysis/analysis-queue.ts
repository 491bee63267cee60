// The analysis queue: samples wait in a bounded queue (by count and bytes) and are analysed one at a
// time per worker thread. Submitting never blocks; a full queue refuses and says so in its stats.
import { Worker } from 'node:worker_threads';
import type { SampleAnalysis } from './analyse-sample.ts';
import type { AnalysisWorkerInit, FromAnalysisWorker, ToAnalysisWorker } from './analysis-protocol.ts';

export interface AnalysisQueueOptions {
  readonly worker: AnalysisWorkerInit;
  readonly workers: number;
  readonly maxQueued: number;
  readonly maxQueuedBytes: number;
}

export interface AnalysisStats {
  readonly queued: number;
  readonly running: number;
  readonly done: number;
  readonly failed: number;
  /** Refused because the queue was full. */
  readonly refused: number;
}

export interface AnalysisQueue {
  /** Analyses the sample unless the same hash is already waiting or running; null when refused. */
  submit(sha256: string, bytes: Uint8Array): Promise<SampleAnalysis> | null;
  stats(): AnalysisStats;
  close(): Promise<void>;
}

interface Job {
  readonly id: number;
  readonly sha256: string;
  readonly bytes: Uint8Array;
  readonly promise: Promise<SampleAnalysis>;
  resolve(analysis: SampleAnalysis): void;
  reject(error: Error): void;
}

interface Slot {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  job: Job | null;
}

export function createAnalysisQueue(options: AnalysisQueueOptions): AnalysisQueue {
  const waiting: Job[] = [];
  const byHash = new Map<string, Job>();
  let queuedBytes = 0;
  let nextId = 0;
  let done = 0;
  let failed = 0;
  let refused = 0;
  let closed = false;
  const slots: Slot[] = [];

  const finish = (slot: Slot, outcome: { analysis: SampleAnalysis } | { error: Error }): void => {
    const job = slot.job;
    slot.job = null;
    if (job) {
      byHash.delete(job.sha256);
      if ('analysis' in outcome) {
        done += 1;
        job.resolve(outcome.analysis);
      } else {
        failed += 1;
        job.reject(outcome.error);
      }
    }
    pump();
  };

  const startWorker = (): Slot => {
    const worker = new Worker(new URL('./analysis-worker.ts', import.meta.url), { workerData: options.worker });
    worker.unref();
    let markReady: () => void = () => undefined;
    let markFailed: (error: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    ready.catch(() => undefined);
    const slot: Slot = { worker, ready, job: null };
    worker.on('message', (message: FromAnalysisWorker) => {
      if (message.kind === 'ready') return markReady();
      if (message.kind === 'init-failed') return markFailed(new Error(`analysis rules could not load: ${message.message}`));
      if (slot.job?.id !== message.id) return;
      finish(slot, message.kind === 'done' ? { analysis: message.analysis } : { error: new Error(message.message) });
    });
    const dead = (error: Error): void => {
      markFailed(error);
      finish(slot, { error });
      slots.splice(slots.indexOf(slot), 1);
      // A crashed worker (a parser bug, memory) is replaced so the queue keeps moving.
      if (!closed) slots.push(startWorker());
      pump();
    };
    worker.on('error', dead);
    worker.on('exit', (code) => {
      if (!closed) dead(new Error(`analysis worker exited (code ${code})`));
    });
    return slot;
  };

  const pump = (): void => {
    for (const slot of slots) {
      if (slot.job !== null || waiting.length === 0) continue;
      const job = waiting.shift()!;
      queuedBytes -= job.bytes.length;
      slot.job = job;
      // Keep the process alive only while there is work.
      slot.worker.ref();
      void slot.ready.then(
        () => slot.worker.postMessage({ id: job.id, sha256: job.sha256, bytes: job.bytes } satisfies ToAnalysisWorker),
        (error: unknown) => finish(slot, { error: error instanceof Error ? error : new Error(String(error)) }),
      );
    }
    for (const slot of slots) if (slot.job === null) slot.worker.unref();
  };

  return {
    submit(sha256, bytes) {
      if (closed) return null;
      const known = byHash.get(sha256);
      if (known) return known.promise;
      if (waiting.length >= options.maxQueued || queuedBytes + bytes.length > options.maxQueuedBytes) {
        refused += 1;
        return null;
      }
      if (slots.length === 0) for (let i = 0; i < Math.max(1, options.workers); i++) slots.push(startWorker());
      let resolve: (analysis: SampleAnalysis) => void = () => undefined;
      let reject: (error: Error) => void = () => undefined;
      const promise = new Promise<SampleAnalysis>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      const job: Job = { id: nextId++, sha256, bytes, promise, resolve, reject };
      waiting.push(job);
      queuedBytes += bytes.length;
      byHash.set(sha256, job);
      pump();
      return promise;
    },
    stats: () => ({ queued: waiting.length, running: slots.filter((s) => s.job !== null).length, done, failed, refused }),
    async close() {
      closed = true;
      for (const job of [...waiting.splice(0), ...slots.flatMap((s) => (s.job ? [s.job] : []))]) job.reject(new Error('analysis queue closed'));
      byHash.clear();
      await Promise.all(slots.splice(0).map((slot) => slot.worker.terminate()));
    },
  };
}
