// Scratch: the proposed wiring end to end (device stand-in, real reset hook, real health probe).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import { once } from 'node:events';
import { startRelayService } from './relay-service.ts';
import { parseConfig } from '../config/load.ts';
import { createConnectionGate } from '../listeners/connection-gate.ts';
import { createIdGenerator } from '../core/ids.ts';
import { SCHEMA_VERSION, type HachiEvent, type SensorEvent } from '../core/events.ts';
import { createMemoryLogger, waitUntil } from '../testing/memory-sink.ts';
import { randomBytes } from 'node:crypto';

test('wiring: reset after 1 session, refusal while resetting, health events', async () => {
  const device = createServer((s) => { s.on('error', () => undefined); s.pipe(s); });
  device.listen(0, '127.0.0.1'); await once(device, 'listening');
  const devicePort = (device.address() as { port: number }).port;
  const config = parseConfig({ devices: [{ name: 'cam-1', product: 'Cam', firmware: '1.0', address: '127.0.0.1', services: [{ protocol: 'tcp', host: '127.0.0.1', port: 0, devicePort }],
    admitWaitMs: 100, health: { intervalMs: 1000, timeoutMs: 500 },
    reset: { command: ['/bin/sh', '-c', 'echo "cycled $HACHI_DEVICE"; sleep 0.3'], afterSessions: 1, settleMs: 200 } }] }, 'test');
  const events: HachiEvent[] = [];
  const clock = { now: () => Date.now() };
  const ids = createIdGenerator({ now: clock.now, randomBytes: (n) => randomBytes(n) });
  const relay = await startRelayService({
    devices: config.devices, port: { publish: (e) => events.push(e) }, ids, clock, sensor: 's', gate: createConnectionGate({ perSource: 100, total: 100 }), acceptors: 1,
    captures: { open: () => ({ append: () => true, close: async () => ({ path: 'x', bytes: 0, truncated: false }) }) },
    limits: { idleTimeoutMs: 5000, maxSessionMs: 10000 }, shutdown: { stopping: false, onStop: () => () => undefined }, logger: createMemoryLogger(),
    publishSensor: (type, data) => events.push({ id: ids(), type, ts: clock.now(), schema: SCHEMA_VERSION, sensor: 's', data } as SensorEvent),
    telnetTap: () => { throw new Error('unused'); },
    fallback: () => null,
  });
  const port = relay.statuses[0]!.port;
  await waitUntil(() => events.some((e) => e.type === 'device.health'));
  const a = connect({ host: '127.0.0.1', port }); await once(a, 'connect');
  a.write('hi'); await once(a, 'data');
  assert.equal(relay.devices()[0]!.state, 'draining');
  const b = connect({ host: '127.0.0.1', port }); b.on('error', () => undefined); await once(b, 'close');
  a.end(); await once(a, 'close');
  await waitUntil(() => relay.devices()[0]!.state === 'resetting');
  const c = connect({ host: '127.0.0.1', port }); c.on('error', () => undefined); await once(c, 'close');
  await waitUntil(() => events.some((e) => e.type === 'device.reset'));
  await waitUntil(() => relay.devices()[0]!.state === 'up', 3000);
  const d = connect({ host: '127.0.0.1', port }); await once(d, 'connect'); d.write('again'); await once(d, 'data'); d.destroy();
  relay.stopDevices(); await relay.closeListeners(); await relay.idle(); device.close();
  const summary = events.filter((e) => e.type.startsWith('device.') || e.type === 'relay.unavailable').map((e) => [e.type, JSON.stringify(e.data)]);
  console.log(summary);
  assert.equal(events.filter((e) => e.type === 'relay.unavailable').length, 2);
});
