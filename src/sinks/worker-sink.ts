// Runs a registry sink in its own worker thread, so SQLite inserts and JSON serialisation of the
// store use the second core instead of the thread that serves attackers. Same EventSink contract:
// `write` resolves after the sink in the worker acknowledged the batch.
import { Worker } from 'node:worker_threads';
import type { EventSink } from '../core/ports.ts';
import type { SinkConfigs, SinkName } from './registry.ts';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.ts';

export function openWorkerSink<K extends SinkName>(sink: K, config: SinkConfigs[K], dataDir: string): Promise<EventSink> {
  const init: WorkerInit<K> = { sink, config, dataDir };
  const worker = new Worker(new URL('./worker-entry.ts', import.meta.url), { workerData: init });
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let seq = 0;
  let closed = false;
  let exited: Error | null = null;

  const failAll = (error: Error): void => {
    exited = error;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };

  return new Promise((resolveOpen, rejectOpen) => {
    worker.on('message', (message: FromWorker) => {
      switch (message.kind) {
        case 'ready':
          resolveOpen(sinkApi());
          break;
        case 'open-failed':
          rejectOpen(new Error(`${sink} sink could not open in its worker: ${message.message}`));
          break;
        case 'done':
          pending.get(message.seq)?.resolve();
          pending.delete(message.seq);
          break;
        case 'failed':
          pending.get(message.seq)?.reject(new Error(message.message));
          pending.delete(message.seq);
          break;
      }
    });
    worker.on('error', (error) => {
      rejectOpen(error);
      failAll(error);
    });
    worker.on('exit', (code) => failAll(new Error(`${sink} sink worker exited (code ${code})`)));
  });

  function send(message: ToWorker): Promise<void> {
    if (exited) return Promise.reject(exited);
    return new Promise((resolve, reject) => {
      pending.set(message.seq, { resolve, reject });
      worker.postMessage(message);
    });
  }

  function sinkApi(): EventSink {
    return {
      name: sink,
      async write(batch) {
        if (closed) throw new Error(`${sink} sink is closed`);
        if (batch.length === 0) return;
        await send({ kind: 'write', seq: ++seq, batch });
      },
      async close() {
        if (closed) return;
        closed = true;
        await send({ kind: 'close', seq: ++seq }).catch(() => undefined);
        await worker.terminate();
      },
    };
  }
}
