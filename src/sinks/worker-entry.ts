// Worker-thread side of a WorkerSink: opens the named sink from the registry and writes each batch
// it is sent, acknowledging only after the sink's own write resolved (so durability is unchanged).
import { parentPort, workerData } from 'node:worker_threads';
import type { EventSink } from '../core/ports.ts';
import { sinkFactories } from './registry.ts';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('worker-entry.ts runs only as a worker thread');
const init = workerData as WorkerInit;
const reply = (message: FromWorker): void => port.postMessage(message);

async function open(): Promise<EventSink> {
  const factory = sinkFactories[init.sink];
  // The registry maps each name to its own config type; the pair arrived together.
  return (factory.open as (config: unknown, context: { dataDir: string; now: () => number }) => Promise<EventSink>)(init.config, { dataDir: init.dataDir, now: () => Date.now() });
}

try {
  const sink = await open();
  // Messages are handled one at a time, in order, as the dispatcher sends them.
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (message: ToWorker) => {
    chain = chain.then(async () => {
      try {
        if (message.kind === 'write') await sink.write(message.batch);
        else await sink.close();
        reply({ kind: 'done', seq: message.seq });
      } catch (error) {
        reply({ kind: 'failed', seq: message.seq, message: error instanceof Error ? error.message : String(error) });
      }
      if (message.kind === 'close') port.close();
    });
  });
  reply({ kind: 'ready' });
} catch (error) {
  reply({ kind: 'open-failed', message: error instanceof Error ? error.message : String(error) });
  port.close();
}
