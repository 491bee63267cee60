// Sinks in worker threads pass the same contract as in the main thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSinkContract } from '../testing/sink-contract.ts';
import { openStore } from '../storage/store.ts';
import { readJsonlEvents } from './jsonl.ts';
import { openWorkerSink } from './worker-sink.ts';

runSinkContract('sqlite-in-worker', async (dir) => ({
  sink: await openWorkerSink('sqlite', {}, dir),
  readBack: () => {
    const store = openStore(dir);
    try {
      return Promise.resolve(store.listEvents({ limit: 100_000 }));
    } finally {
      store.close();
    }
  },
}));

runSinkContract('jsonl-in-worker', async (dir) => ({ sink: await openWorkerSink('jsonl', {}, dir), readBack: () => readJsonlEvents(dir) }));

test('a sink that cannot open in its worker rejects with the reason', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'worker-sink-'));
  try {
    await assert.rejects(openWorkerSink('jsonl', { dir: '../../../proc/forbidden\0' }, dir), /jsonl sink could not open in its worker/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
