// The containment ruleset loaded for real in a throwaway network namespace: test addresses on lo,
// real connections through the input chain. A device reaches hachi and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Probe } from '../testing/firewall-probe.ts';
import { renderFirewallRules, type FirewallDevice, type FirewallOptions } from './firewall-rules.ts';

const PROBE = fileURLToPath(new URL('../testing/firewall-probe.ts', import.meta.url));
const DEVICES: FirewallDevice[] = [
  { name: 'cam', product: 'Cam', firmware: '1', address: '192.0.2.10', services: [{ devicePort: 23 }] },
  { name: 'router6', product: 'Router', firmware: '1', address: '2001:db8::10', services: [{ devicePort: 22 }] },
];
const HACHI = ['192.0.2.1', '2001:db8::1'];
// Another service on the same host (its SSH, a resolver): the device must not reach it.
const OTHER = ['192.0.2.99', '2001:db8::99'];

interface Outcome {
  readonly results: readonly boolean[];
  readonly listing: string;
}

function runInNamespace(options: FirewallOptions, probes: readonly Probe[], devices = DEVICES): Promise<Outcome> {
  const ruleset = renderFirewallRules(devices, HACHI, options).text;
  const input = JSON.stringify({ ruleset, addresses: [...HACHI, ...OTHER, ...DEVICES.map((d) => d.address)], probes });
  // As root a new network namespace is enough; otherwise a user namespace maps us to root inside it.
  const unshare = process.getuid?.() === 0 ? ['-n'] : ['-r', '-n'];
  return new Promise((resolve, reject) => {
    const child = execFile('unshare', [...unshare, process.execPath, PROBE], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`firewall probe failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as Outcome);
    });
    child.stdin?.end(input);
  });
}

const tcp = (from: string, to: string, port: number): Probe => ({ proto: 'tcp', from, to, port });
const udp = (from: string, to: string, port: number): Probe => ({ proto: 'udp', from, to, port });

const PROBES = [
  tcp('192.0.2.10', '192.0.2.1', 4001), // device -> hachi (sinkhole, health helpers)
  udp('192.0.2.10', '192.0.2.1', 4002),
  tcp('2001:db8::10', '2001:db8::1', 4003),
  tcp('192.0.2.1', '192.0.2.10', 23), // the relay's connection, and the device's answers
  tcp('2001:db8::1', '2001:db8::10', 22),
  tcp('192.0.2.10', '192.0.2.99', 4004), // device -> another service of the host
  udp('192.0.2.10', '192.0.2.99', 53), // DNS
  tcp('2001:db8::10', '2001:db8::99', 4005),
  udp('2001:db8::10', '2001:db8::99', 53),
  tcp('192.0.2.99', '192.0.2.1', 4006), // traffic not from a device is not the table's business
];

test('control: without devices in the table every probe gets through (a block below is the firewall)', async () => {
  const { results } = await runInNamespace({}, PROBES, []);
  assert.deepEqual(results, PROBES.map(() => true));
});

test('all ports to hachi: the device reaches hachi, not the host behind it, over IPv4 and IPv6', async () => {
  const { results, listing } = await runInNamespace({}, PROBES);
  assert.deepEqual(results, [true, true, true, true, true, false, false, false, false, true]);
  assert.equal(listing.match(/^table inet hachi \{/gm)?.length, 1, 'loading twice replaced the table');
  assert.match(listing, /counter packets [1-9]\d* bytes \d+ drop/, 'the drops were counted');
});

test('a port list towards hachi: other hachi ports closed, answers to the relay still pass', async () => {
  const probes = [
    tcp('192.0.2.10', '192.0.2.1', 4011), // listed
    udp('192.0.2.10', '192.0.2.1', 4011),
    tcp('192.0.2.10', '192.0.2.1', 4012), // not listed
    tcp('192.0.2.1', '192.0.2.10', 23), // relay: the answers are established, from port 23 to an unlisted port
    tcp('2001:db8::1', '2001:db8::10', 22),
    tcp('2001:db8::10', '2001:db8::1', 4013),
  ];
  const { results } = await runInNamespace({ hachiPorts: [4011] }, probes);
  assert.deepEqual(results, [true, true, false, true, true, false]);
});
