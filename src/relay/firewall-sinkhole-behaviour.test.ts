// The sinkhole ruleset loaded for real in a throwaway network namespace, with the real sinkhole and
// conntrack: a device's callbacks to TEST-NET addresses land at the sinkhole, which reports where they
// were going and the DNS name asked for; the real destinations never see a packet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SinkholeOutcome, SinkholePlan, SinkholeProbe } from '../testing/sinkhole-probe.ts';
import { renderFirewallRules, type FirewallDevice } from './firewall-rules.ts';

const PROBE = fileURLToPath(new URL('../testing/sinkhole-probe.ts', import.meta.url));
const DEVICES: FirewallDevice[] = [
  { name: 'cam', product: 'Cam', firmware: '1', address: '192.0.2.10', services: [{ devicePort: 23 }] },
  { name: 'router6', product: 'Router', firmware: '1', address: '2001:db8::10', services: [{ devicePort: 22 }] },
];
const HACHI = ['192.0.2.1', '2001:db8::1'];
// Destinations a bot calls: they exist only on this namespace's lo, each with a listener that must stay unreached.
const ELSEWHERE = ['203.0.113.5', '198.51.100.53', '192.0.2.99', '2001:db8::99'];
const SINKHOLE = { tcpPort: 9999, udpPort: 9953 };

function runInNamespace(probes: readonly SinkholeProbe[]): Promise<SinkholeOutcome> {
  const ruleset = renderFirewallRules(DEVICES, HACHI, { sinkhole: SINKHOLE, hachiPorts: [4011] }).text;
  const plan: SinkholePlan = { ruleset, addresses: [...HACHI, ...ELSEWHERE, ...DEVICES.map((d) => d.address)], devices: DEVICES, sinkhole: SINKHOLE, probes };
  const unshare = process.getuid?.() === 0 ? ['-n'] : ['-r', '-n'];
  return new Promise((resolve, reject) => {
    const child = execFile('unshare', [...unshare, process.execPath, PROBE], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`sinkhole probe failed: ${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as SinkholeOutcome);
    });
    child.stdin?.end(JSON.stringify(plan));
  });
}

test('outbound attempts land at the sinkhole with their original destination; nothing else is reached', async () => {
  const probes: SinkholeProbe[] = [
    { proto: 'tcp', from: '192.0.2.10', to: '203.0.113.5', port: 6667, payload: 'NICK mirai\r\n' }, // IRC C2
    { proto: 'udp', from: '192.0.2.10', to: '198.51.100.53', port: 53, payload: 'cnc.botnet.example' }, // C2 lookup
    { proto: 'tcp', from: '192.0.2.10', to: '192.0.2.99', port: 4004, payload: 'scan' }, // another host's service
    { proto: 'tcp', from: '2001:db8::10', to: '2001:db8::99', port: 4005, payload: 'v6' },
    { proto: 'tcp', from: '192.0.2.10', to: '192.0.2.1', port: 4011, payload: 'to hachi' }, // a listed hachi port
    { proto: 'tcp', from: '192.0.2.10', to: '192.0.2.1', port: 4012, payload: 'unlisted' }, // dropped, not redirected
    { proto: 'tcp', from: '192.0.2.1', to: '192.0.2.10', port: 23, payload: 'relay' }, // the relay to the device
    { proto: 'tcp', from: '192.0.2.99', to: '203.0.113.5', port: 6667, payload: 'not a device' },
  ];
  const { reached, egress, conntrackErrors } = await runInNamespace(probes);
  assert.deepEqual(conntrackErrors, []);
  assert.deepEqual(reached, [false, false, false, false, true, false, true, true]);
  const summary = egress.map((e) => ({ device: e.device, protocol: e.protocol, src: e.src.ip, dst: e.dst, preview: e.protocol === 'tcp' ? e.preview : '', dnsName: e.dnsName, count: e.count }));
  const order = (a: { preview: string; dnsName: string | null }): string => `${a.preview}${a.dnsName ?? ''}`;
  assert.deepEqual(summary.sort((a, b) => order(a).localeCompare(order(b))), [
    { device: 'cam', protocol: 'tcp', src: '192.0.2.10', dst: { ip: '203.0.113.5', port: 6667 }, preview: 'NICK mirai\r\n', dnsName: null, count: 1 },
    { device: 'cam', protocol: 'udp', src: '192.0.2.10', dst: { ip: '198.51.100.53', port: 53 }, preview: '', dnsName: 'cnc.botnet.example', count: 1 },
    { device: 'cam', protocol: 'tcp', src: '192.0.2.10', dst: { ip: '192.0.2.99', port: 4004 }, preview: 'scan', dnsName: null, count: 1 },
    { device: 'router6', protocol: 'tcp', src: '2001:db8::10', dst: { ip: '2001:db8::99', port: 4005 }, preview: 'v6', dnsName: null, count: 1 },
  ].sort((a, b) => order(a).localeCompare(order(b))));
});
