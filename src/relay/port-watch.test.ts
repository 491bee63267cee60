// The new-port indicator with fake timers and a scripted device, then once against real sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { createFakeTimers, settle } from '../testing/fake-timers.ts';
import { createPortWatch, type PortProbe } from './port-watch.ts';

function scripted(): { open: Set<number>; probe: PortProbe; calls: number[] } {
  const open = new Set<number>();
  const calls: number[] = [];
  return { open, calls, probe: async (_address, port) => (calls.push(port), open.has(port)) };
}

test('the first scan with the device up is the baseline; a port opening later fires once until it closes', async () => {
  const clock = createFakeTimers();
  const device = scripted();
  const fired: [number, readonly number[]][] = [];
  // Down at first: no baseline from an empty scan.
  const watch = createPortWatch({ address: '192.0.2.10', ports: [23, 80, 23, 2323, 48101], expected: null, intervalMs: 1000, timeoutMs: 100, concurrency: 2, timers: clock.timers, probe: device.probe, onNewPort: (p, o) => fired.push([p, o]) });
  await settle();
  assert.equal(watch.baseline(), null);
  device.open.add(23).add(80);
  await clock.advance(1000);
  assert.deepEqual(watch.baseline(), [23, 80]);
  device.open.add(48101); // a bot's listener
  await clock.advance(1000);
  assert.deepEqual(fired, [[48101, [23, 80, 48101]]]);
  await clock.advance(1000);
  assert.equal(fired.length, 1, 'still open: not fired again');
  device.open.delete(48101);
  await clock.advance(1000);
  device.open.add(48101);
  await clock.advance(1000);
  assert.equal(fired.length, 2, 'closed (a reset) and open again: fired again');
  device.open.delete(80);
  await clock.advance(1000);
  assert.equal(fired.length, 2, 'a baseline port closing is no indicator');
  assert.equal(device.calls.filter((p) => p === 23).length, 7, 'each port probed once per scan, duplicates removed');
  watch.stop();
  await clock.advance(10_000);
  assert.equal(device.calls.filter((p) => p === 23).length, 7, 'no scans after stop');
  assert.equal(clock.pending(), 0);
});

test('configured expected ports are the baseline from the start', async () => {
  const clock = createFakeTimers();
  const device = scripted();
  device.open.add(23).add(80);
  const fired: number[] = [];
  const watch = createPortWatch({ address: '192.0.2.10', ports: [23, 80], expected: [23], intervalMs: 1000, timeoutMs: 100, concurrency: 4, timers: clock.timers, probe: device.probe, onNewPort: (p) => fired.push(p) });
  await settle();
  assert.deepEqual(fired, [80]);
  assert.deepEqual(await watch.scan(), [23, 80]);
  watch.stop();
});

test('real TCP connects on 127.0.0.1: a listener that appears is found', async (t) => {
  const base = createServer();
  t.after(() => base.close());
  base.listen(0, '127.0.0.1');
  await once(base, 'listening');
  const extra = createServer();
  extra.listen(0, '127.0.0.1');
  await once(extra, 'listening');
  const basePort = (base.address() as { port: number }).port;
  const extraPort = (extra.address() as { port: number }).port;
  extra.close();
  await once(extra, 'close');
  const clock = createFakeTimers();
  const fired: number[] = [];
  const watch = createPortWatch({ address: '127.0.0.1', ports: [basePort, extraPort], expected: null, intervalMs: 1000, timeoutMs: 1000, concurrency: 2, timers: clock.timers, onNewPort: (p) => fired.push(p) });
  t.after(() => watch.stop());
  assert.deepEqual(await watch.scan(), [basePort]);
  const again = createServer();
  t.after(() => again.close());
  again.listen(extraPort, '127.0.0.1');
  await once(again, 'listening');
  assert.deepEqual(await watch.scan(), [basePort, extraPort].sort((a, b) => a - b));
  assert.deepEqual(fired, [extraPort]);
});
