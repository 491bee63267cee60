// The fetch gate: limits overall and per host, a host with room never waits behind a busy one,
// bounded waiting (count, per host, time), and close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFetchGate } from './fetch-gate.ts';

const never = (): Promise<string> => new Promise(() => undefined);
const options = { maxConcurrent: 4, maxPerHost: 2, maxQueued: 10, maxQueuedPerHost: 3, maxWaitMs: 60_000 };

test('a host with room starts at once while another host has fetches waiting', async () => {
  const gate = createFetchGate(options);
  for (let i = 0; i < 5; i++) void gate.run('slow.example', never);
  assert.deepEqual(gate.stats(), { running: 2, queued: 3, refused: 0 });
  const other = await gate.run('fast.example', async () => 'payload');
  assert.deepEqual(other, { ran: true, value: 'payload' });
  gate.close();
});

test('per-host and overall queue limits refuse at once', async () => {
  const gate = createFetchGate(options);
  for (let i = 0; i < 5; i++) void gate.run('slow.example', never);
  assert.deepEqual(await gate.run('slow.example', never), { ran: false, why: 'queue-full' });
  gate.close();
});

test('waiting is bounded in time; a released slot goes to the first waiter whose host has room', async () => {
  const gate = createFetchGate({ ...options, maxConcurrent: 1, maxWaitMs: 100 });
  let finishFirst: (v: string) => void = () => undefined;
  const first = gate.run('a.example', () => new Promise<string>((resolve) => (finishFirst = resolve)));
  const timedOut = gate.run('b.example', async () => 'late');
  assert.deepEqual(await timedOut, { ran: false, why: 'queue-timeout' });
  const next = gate.run('c.example', async () => 'next');
  finishFirst('first');
  assert.deepEqual(await first, { ran: true, value: 'first' });
  assert.deepEqual(await next, { ran: true, value: 'next' });
  assert.deepEqual(gate.stats(), { running: 0, queued: 0, refused: 0 });
});

test('close refuses waiting and later fetches', async () => {
  const gate = createFetchGate({ ...options, maxConcurrent: 1 });
  void gate.run('a.example', never);
  const waiting = gate.run('b.example', async () => 'x');
  gate.close();
  assert.deepEqual(await waiting, { ran: false, why: 'closed' });
  assert.deepEqual(await gate.run('c.example', async () => 'y'), { ran: false, why: 'closed' });
});
