// The sinkhole on 127.0.0.1: TCP and UDP attempts become device.egress events with their first
// bytes, DNS names and (from the injected lookup) original destinations; floods are summarised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import type { Endpoint, EventPayloads } from '../core/events.ts';
import { encodeDnsQuery } from '../testing/dns-query.ts';
import { waitUntil } from '../testing/memory-sink.ts';
import type { OriginalDestinationLookup } from './conntrack-lookup.ts';
import { startEgressSinkhole, type EgressSinkholeOptions } from './egress-sinkhole.ts';

type Egress = EventPayloads['device.egress'];

async function sinkhole(overrides: Partial<EgressSinkholeOptions> = {}): Promise<{ events: Egress[]; errors: string[]; close: () => Promise<void>; tcpPort: number; udpPort: number }> {
  const events: Egress[] = [];
  const errors: string[] = [];
  const s = await startEgressSinkhole({
    host: '127.0.0.1',
    tcpPort: 0,
    udpPort: 0,
    previewBytes: 64,
    idleTimeoutMs: 300,
    maxConnectionMs: 2000,
    maxConnections: 16,
    eventsPerWindow: 100,
    windowMs: 60_000,
    devices: [{ name: 'cam', address: '127.0.0.1' }],
    lookup: null,
    now: () => Date.now(),
    onEgress: (e) => events.push(e),
    onError: (where, error) => errors.push(`${where}: ${error.message}`),
    ...overrides,
  });
  return { events, errors, close: () => s.close(), tcpPort: s.tcpPort, udpPort: s.udpPort };
}

async function tcpSend(port: number, data: string | Uint8Array, options: { end?: boolean; localAddress?: string } = {}): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port, ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.write(data);
  if (options.end ?? true) socket.end();
  return socket;
}

async function udpSend(port: number, data: Uint8Array): Promise<void> {
  const client = createSocket('udp4');
  await new Promise<void>((resolve, reject) => client.send(data, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
  client.close();
}

test('a TCP callback and a DNS query are reported with their bytes, destination and name', async () => {
  const asked: string[] = [];
  const lookup: OriginalDestinationLookup = async (protocol, src, local) => {
    asked.push(`${protocol} ${src.ip} ${local.ip ?? '*'}:${local.port}`);
    return protocol === 'tcp' ? { ip: '203.0.113.5', port: 6667 } : { ip: '198.51.100.53', port: 53 };
  };
  const s = await sinkhole({ lookup });
  await tcpSend(s.tcpPort, 'NICK bot\r\nUSER x\r\n');
  await udpSend(s.udpPort, encodeDnsQuery(0x4242, 'cnc.example.net'));
  await waitUntil(() => s.events.length === 2);
  await s.close();
  const tcp = s.events.find((e) => e.protocol === 'tcp');
  const udp = s.events.find((e) => e.protocol === 'udp');
  assert.deepEqual({ ...tcp, src: undefined }, { device: 'cam', protocol: 'tcp', src: undefined, dst: { ip: '203.0.113.5', port: 6667 }, bytes: 18, preview: 'NICK bot\r\nUSER x\r\n', dnsName: null, count: 1 });
  assert.equal(tcp?.src.ip, '127.0.0.1');
  assert.equal(udp?.dnsName, 'cnc.example.net');
  assert.deepEqual(udp?.dst, { ip: '198.51.100.53', port: 53 });
  assert.equal(udp?.bytes, encodeDnsQuery(0x4242, 'cnc.example.net').length);
  assert.deepEqual(asked.sort(), [`tcp 127.0.0.1 127.0.0.1:${s.tcpPort}`, `udp 127.0.0.1 127.0.0.1:${s.udpPort}`]);
  assert.deepEqual(s.errors, []);
});

test('the preview is cut at its limit, a silent connection is closed after the idle timeout', async () => {
  const s = await sinkhole({ previewBytes: 8 });
  const long = await tcpSend(s.tcpPort, 'A'.repeat(5000), { end: false });
  const quiet = await tcpSend(s.tcpPort, 'hi', { end: false });
  await Promise.all([once(long, 'close'), once(quiet, 'close')]);
  await waitUntil(() => s.events.length === 2);
  await s.close();
  const previews = s.events.map((e) => e.preview).sort();
  assert.deepEqual(previews, ['AAAAAAAA', 'hi']);
  assert.ok((s.events.find((e) => e.preview === 'AAAAAAAA')?.bytes ?? 0) >= 8);
  assert.deepEqual(s.events.map((e) => e.dst), [null, null], 'no lookup: destination unknown');
});

test('a scanner past the per-device rate is counted into one summary; strangers are "unknown"', async () => {
  const s = await sinkhole({ eventsPerWindow: 3 });
  const sockets = await Promise.all(Array.from({ length: 12 }, (_, i) => tcpSend(s.tcpPort, `syn${i}`)));
  await Promise.all(sockets.map((socket) => (socket.closed ? null : once(socket, 'close'))));
  await tcpSend(s.tcpPort, 'other', { localAddress: '127.0.0.2' });
  await waitUntil(() => s.events.filter((e) => e.count === 1).length === 4);
  await s.close();
  const single = s.events.filter((e) => e.count === 1);
  assert.equal(single.filter((e) => e.device === 'cam').length, 3);
  assert.deepEqual(single.filter((e) => e.device === 'unknown').map((e) => [e.src.ip, e.preview]), [['127.0.0.2', 'other']]);
  const summaries = s.events.filter((e) => e.count > 1);
  assert.equal(summaries.length, 1);
  assert.equal(summaries[0]?.count, 9);
  assert.equal(summaries[0]?.device, 'cam');
  assert.equal(summaries[0]?.dst, null);
  assert.match(summaries[0]?.preview ?? '', /^syn\d+$/);
});

test('connections past the maximum are closed at once and still counted', async () => {
  const s = await sinkhole({ maxConnections: 2, idleTimeoutMs: 5000, eventsPerWindow: 100 });
  const held = await Promise.all([tcpSend(s.tcpPort, 'a', { end: false }), tcpSend(s.tcpPort, 'b', { end: false })]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const extra = await tcpSend(s.tcpPort, 'c', { end: false });
  await once(extra, 'close');
  for (const socket of held) socket.end();
  await waitUntil(() => s.events.length === 2);
  await s.close();
  // The refused one never sent its byte: it comes out in the closing summary, empty and without destination.
  assert.deepEqual(s.events.map((e) => e.preview).sort(), ['', 'a', 'b']);
  const refused = s.events.find((e) => e.preview === '');
  assert.deepEqual([refused?.bytes, refused?.count, refused?.dst], [0, 1, null]);
});

test('garbage never crashes it: empty, random and oversized datagrams, resets mid-connection', async () => {
  const s = await sinkhole();
  await udpSend(s.udpPort, new Uint8Array(0));
  await udpSend(s.udpPort, new Uint8Array(60_000).fill(0xff));
  for (let i = 0; i < 20; i++) await udpSend(s.udpPort, new Uint8Array(Array.from({ length: 40 }, (_, j) => (i * 31 + j * 7) & 0xff)));
  const reset = await tcpSend(s.tcpPort, 'x', { end: false });
  reset.resetAndDestroy();
  await waitUntil(() => s.events.length === 23);
  await s.close();
  assert.deepEqual(s.errors, []);
  const big = s.events.find((e) => e.bytes === 60_000);
  assert.equal(big?.preview.length, 64);
  const src: Endpoint | undefined = s.events[0]?.src;
  assert.equal(src?.ip, '127.0.0.1');
});

test('DNS over TCP (two-byte length first) is read when the flow was going to port 53', async () => {
  const s = await sinkhole({ lookup: async () => ({ ip: '198.51.100.53', port: 53 }) });
  const query = encodeDnsQuery(3, 'tcp.cnc.example');
  const framed = new Uint8Array([query.length >> 8, query.length & 0xff, ...query]);
  await tcpSend(s.tcpPort, framed);
  await waitUntil(() => s.events.length === 1);
  await s.close();
  assert.equal(s.events[0]?.dnsName, 'tcp.cnc.example');
});

test('a UDP flood from one device costs a few events and one summary', async () => {
  const s = await sinkhole({ eventsPerWindow: 5 });
  const client = createSocket('udp4');
  for (let i = 0; i < 1000; i++) {
    await new Promise<void>((resolve) => client.send(`probe ${i}`, s.udpPort, '127.0.0.1', () => resolve()));
  }
  client.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  await s.close();
  assert.equal(s.events.filter((e) => e.count === 1).length, 5);
  const summaries = s.events.filter((e) => e.count > 1);
  assert.equal(summaries.length, 1);
  assert.ok((summaries[0]?.count ?? 0) > 100, `folded ${summaries[0]?.count}`);
  // Every datagram is 7 to 9 bytes: the summary adds up what it folded.
  const folded = summaries[0]?.count ?? 0;
  assert.ok((summaries[0]?.bytes ?? 0) >= folded * 7 && (summaries[0]?.bytes ?? 0) <= folded * 9);
});
