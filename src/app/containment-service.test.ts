// Relay service and containment together: a device's DNS callback reaches the sinkhole, fires an
// egress indicator and runs the device's reset hook; a new listening port fires too; a device whose
// hook is not meant for indicators is only reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { parseConfig } from '../config/load.ts';
import { SCHEMA_VERSION, type HachiEvent, type SensorEvent } from '../core/events.ts';
import { createIdGenerator } from '../core/ids.ts';
import { createConnectionGate } from '../listeners/connection-gate.ts';
import { encodeDnsQuery } from '../testing/dns-query.ts';
import { createMemoryLogger, waitUntil } from '../testing/memory-sink.ts';
import { startContainment } from './containment-service.ts';
import { startRelayService } from './relay-service.ts';

async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => s.destroy());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port };
}

test('an egress attempt and a new port fire indicators; the reset hook runs where onIndicator allows', async (t) => {
  const device = await listening();
  const backdoor = await listening(); // a port the device was not meant to have open
  t.after(() => device.server.close());
  t.after(() => backdoor.server.close());
  const service = { protocol: 'tcp', host: '127.0.0.1', port: 0, devicePort: device.port };
  const config = parseConfig(
    {
      devices: [
        {
          name: 'cam', product: 'Cam', firmware: '1.0', address: '127.0.0.1', services: [service], health: { enabled: false },
          reset: { command: ['/bin/sh', '-c', 'exit 0'], settleMs: 0 },
          watchPorts: { ports: [device.port, backdoor.port], expected: [device.port] },
        },
        { name: 'lab', product: 'Lab', firmware: '2.0', address: '127.0.0.2', services: [service], health: { enabled: false }, reset: { command: ['/bin/true'], onIndicator: false } },
      ],
      relay: { sinkhole: { enabled: true, host: '127.0.0.1', tcpPort: 0, udpPort: 0, conntrack: null } },
    },
    'test',
  );
  assert.equal(config.devices[0]?.reset?.onIndicator, true, 'default: a reset hook also serves indicators');
  const events: HachiEvent[] = [];
  const clock = { now: () => Date.now() };
  const ids = createIdGenerator({ now: clock.now, randomBytes: (n) => randomBytes(n) });
  const logger = createMemoryLogger();
  const publishSensor: Parameters<typeof startContainment>[0]['publishSensor'] = (type, data) => events.push({ id: ids(), type, ts: clock.now(), schema: SCHEMA_VERSION, sensor: 's', data } as SensorEvent);
  const relay = await startRelayService({
    devices: config.devices, port: { publish: (e) => events.push(e) }, ids, clock, sensor: 's', gate: createConnectionGate({ perSource: 10, total: 10 }), acceptors: 1,
    captures: { open: () => ({ append: () => true, close: async () => ({ path: 'x', bytes: 0, truncated: false }) }) },
    limits: { idleTimeoutMs: 5000, maxSessionMs: 10_000 }, shutdown: { stopping: false, onStop: () => () => undefined }, logger, publishSensor,
    telnetTap: () => { throw new Error('no telnet here'); },
    fallback: () => null,
  });
  t.after(async () => {
    relay.stopDevices();
    await relay.closeListeners();
  });
  const containment = await startContainment({
    devices: config.devices, sinkhole: config.relay.sinkhole, indicatorCooldownMs: config.relay.indicatorCooldownMs, maxIndicators: config.relay.maxIndicators,
    requestReset: (name, reason) => relay.indicator(name, reason), publishSensor, clock, logger,
  });
  t.after(() => containment.close());
  const udpPort = containment.sinkhole?.udpPort ?? 0;
  assert.ok(udpPort > 0);

  for (const [from, name] of [['127.0.0.1', 'cnc.botnet.example'], ['127.0.0.1', 'cnc.botnet.example'], ['127.0.0.2', 'update.lab.example']] as const) {
    const client = createSocket('udp4');
    await new Promise<void>((resolve) => client.bind(0, from, resolve));
    await new Promise<void>((resolve, reject) => client.send(encodeDnsQuery(1, name), udpPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    client.close();
  }
  await waitUntil(() => events.filter((e) => e.type === 'device.egress').length === 3);
  await waitUntil(() => events.some((e) => e.type === 'device.reset'), 5000);
  await waitUntil(() => events.filter((e) => e.type === 'device.indicator').length === 3, 5000);

  const of = <K extends HachiEvent['type']>(type: K): HachiEvent[] => events.filter((e) => e.type === type);
  assert.deepEqual(of('device.egress').map((e) => e.type === 'device.egress' && [e.data.device, e.data.dnsName, e.data.count]), [
    ['cam', 'cnc.botnet.example', 1], ['cam', 'cnc.botnet.example', 1], ['lab', 'update.lab.example', 1],
  ]);
  const indicators = of('device.indicator').map((e) => (e.type === 'device.indicator' ? e.data : null));
  // The repeated query fired once; the new port fired too (the reset it asks for is the same one).
  assert.deepEqual(indicators.map((i) => i && [i.device, i.indicator, i.action]).sort(), [
    ['cam', 'egress', 'reset'], ['cam', 'new-port', 'reset'], ['lab', 'egress', 'none'],
  ]);
  assert.match(indicators.find((i) => i?.indicator === 'new-port')?.detail ?? '', new RegExp(`TCP port ${backdoor.port} is listening`));
  assert.match(indicators.find((i) => i?.device === 'lab')?.detail ?? '', /udp to an unknown destination asking for update\.lab\.example/);
  const resets = of('device.reset').map((e) => (e.type === 'device.reset' ? [e.data.device, e.data.trigger, e.data.exitCode] : null));
  assert.deepEqual(resets, [['cam', 'indicator', 0]]);
  assert.equal(relay.devices().find((d) => d.device === 'lab')?.lastReset, null, 'lab was not reset');
});
