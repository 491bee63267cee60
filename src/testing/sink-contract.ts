// The shared contract every EventSink passes: batches, ids and order kept, empty batches, close twice,
// write after close rejects, and (with a read-back) durability across close and reopen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_VERSION } from '../core/events.ts';
import type { HachiEvent } from '../core/events.ts';
import type { EventSink } from '../core/ports.ts';
import { createEventFactory } from './telnet-events.ts';

export interface SinkHarness {
  readonly sink: EventSink;
  /** Reads back, from durable storage, every event the sinks of this directory wrote; null if the sink cannot. */
  readonly readBack: (() => Promise<HachiEvent[]>) | null;
}

/** `makeSink(dir)` opens the sink over `dir`; calling it again with the same dir reopens it. */
export function runSinkContract(name: string, makeSink: (dir: string) => Promise<SinkHarness>): void {
  const withDir = async (body: (dir: string) => Promise<void>): Promise<void> => {
    const dir = await mkdtemp(join(tmpdir(), `sink-${name}-`));
    try {
      await body(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  const sessions = (): HachiEvent[] => {
    const f = createEventFactory();
    const sensor: HachiEvent = { id: '00000000000000000000000000', type: 'sensor.start', ts: 1, schema: SCHEMA_VERSION, sensor: 'test-sensor', data: { version: '0.1.0', services: [{ service: 'telnet', host: '127.0.0.1', port: 2323, persona: 'cam' }] } };
    return [sensor, ...f.botSession(1), ...f.botSession(2), ...f.botSession(3)];
  };

  test(`${name} sink: writes batches, keeping every event, its id and order`, () =>
    withDir(async (dir) => {
      const { sink, readBack } = await makeSink(dir);
      const all = sessions();
      await sink.write(all.slice(0, 1));
      await sink.write(all.slice(1, 20));
      await sink.write(all.slice(20));
      await sink.close();
      if (readBack) assert.deepEqual(await readBack(), all);
    }));

  test(`${name} sink: an empty batch is accepted and writes nothing`, () =>
    withDir(async (dir) => {
      const { sink, readBack } = await makeSink(dir);
      await sink.write([]);
      await sink.close();
      if (readBack) assert.deepEqual(await readBack(), []);
    }));

  test(`${name} sink: close twice is safe and a write after close rejects clearly`, () =>
    withDir(async (dir) => {
      const { sink } = await makeSink(dir);
      await sink.close();
      await sink.close();
      await assert.rejects(sink.write(sessions().slice(0, 2)), /closed/);
    }));

  test(`${name} sink: what was written survives close and reopen, and the reopened sink appends`, () =>
    withDir(async (dir) => {
      const all = sessions();
      const first = await makeSink(dir);
      await first.sink.write(all.slice(0, 10));
      await first.sink.close();
      const second = await makeSink(dir);
      await second.sink.write(all.slice(10));
      await second.sink.close();
      if (second.readBack) assert.deepEqual(await second.readBack(), all);
    }));

  test(`${name} sink: concurrent writes each resolve and all land`, () =>
    withDir(async (dir) => {
      const { sink, readBack } = await makeSink(dir);
      const all = sessions();
      await Promise.all([sink.write(all.slice(0, 15)), sink.write(all.slice(15))]);
      await sink.close();
      if (readBack) assert.deepEqual(await readBack(), all);
    }));
}
