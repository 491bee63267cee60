// The relay capture encoder, checked by the real tcpdump (flags, relative seqs, checksums) and an
// independent reader (exact payload bytes per direction, timestamps, notes), plus its speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPcapngSession } from './pcapng.ts';
import type { PcapngEndpoints, PcapngSession } from './pcapng.ts';
import { decodeTcp, readBlocks, readOptions, readPackets } from '../testing/pcapng-reader.ts';
import type { TcpPacket } from '../testing/pcapng-reader.ts';

const TCPDUMP = '/usr/bin/tcpdump';
const hasTcpdump = existsSync(TCPDUMP);
const T0 = 1_700_000_000_000;
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const pattern = (n: number, salt: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 131 + salt + (i >> 8)) & 0xff);

function tcpdump(file: Uint8Array, ...args: string[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'hachi-pcapng-'));
  try {
    const path = join(dir, 'session.pcapng');
    writeFileSync(path, file);
    return execFileSync(TCPDUMP, ['-r', path, '-nn', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .split('\n')
      .filter((l) => l !== '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One tcpdump -vv packet per entry (the IPv4 form prints the TCP part on a second line). */
function packetsOf(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (/^\s/.test(line) && !line.trimStart().startsWith('0x')) out[out.length - 1] += ` ${line.trim()}`;
    else if (!/^\s/.test(line)) out.push(line);
  }
  return out;
}

const flagsOf = (line: string): string => /Flags \[([^\]]*)\]/.exec(line)?.[1] ?? '?';
const seqOf = (line: string): string => /seq ([\d:]+)/.exec(line)?.[1] ?? '?';

/** A session with data both ways: a request, a 200 KB answer, empty chunks, a second request. */
function conversation(endpoints: PcapngEndpoints, largeSegments = false): { session: PcapngSession; file: Uint8Array; sent: { client: Uint8Array; server: Uint8Array } } {
  const s = createPcapngSession(endpoints, { comments: ['device: test-cam'], largeSegments });
  const request = text('GET /cgi-bin/luci HTTP/1.1\r\nHost: cam\r\n\r\n');
  const answer = pattern(200 * 1024, 7);
  const second = text('q');
  const parts = [
    s.header(),
    s.open(T0),
    s.data('client', request, T0 + 1),
    s.data('client', new Uint8Array(0), T0 + 2),
    s.data('server', answer, T0 + 3.25),
    s.data('server', new Uint8Array(0), T0 + 4),
    s.data('client', second, T0 + 5),
    s.close(T0 + 6, 'client'),
  ];
  const file = Uint8Array.from(Buffer.concat(parts));
  assert.equal(s.bytesWritten, file.length);
  return { session: s, file, sent: { client: Uint8Array.from(Buffer.concat([request, second])), server: answer } };
}

function reassemble(packets: TcpPacket[], src: string): Uint8Array {
  return Uint8Array.from(Buffer.concat(packets.filter((p) => p.src === src).map((p) => p.payload)));
}

for (const [family, client, server, mss, large] of [
  ['IPv4', '10.0.0.1', '192.168.1.20', 1460, false],
  ['IPv6', '2001:db8::1', '2001:db8::2', 1440, false],
  ['IPv4 with large segments', '10.0.0.1', '192.168.1.20', 65495, true],
  ['IPv6 with large segments', '2001:db8::1', '2001:db8::2', 65475, true],
] as const) {
  test(`${family}: tcpdump reads the session with correct checksums, flags and relative seqs`, { skip: !hasTcpdump }, () => {
    const { file, session } = conversation({ client: { ip: client, port: 40001 }, server: { ip: server, port: 8080 } }, large);
    const lines = tcpdump(file, '-vv');
    const all = lines.join('\n');
    assert.doesNotMatch(all, /bad cksum|incorrect|truncated|\[\|/);
    const packets = packetsOf(lines);
    const chunks = Math.ceil((200 * 1024) / mss);
    assert.equal(packets.length, 3 + 1 + chunks + 1 + 3);
    assert.equal(session.packets, packets.length);
    for (const p of packets) assert.match(p, /cksum 0x[0-9a-f]{4} \(correct\)/, p);
    if (family.startsWith('IPv4')) for (const p of packets) assert.match(p, /ttl 64, .*flags \[DF\], proto TCP/);
    const c2s = `${client}.40001 > ${server}.8080`;
    const s2c = `${server}.8080 > ${client}.40001`;
    const dirs = packets.map((p) => (p.includes(c2s) ? 'c' : p.includes(s2c) ? 's' : '?'));
    assert.equal(dirs.join(''), `cscc${'s'.repeat(chunks)}ccsc`);
    assert.deepEqual(packets.map(flagsOf), ['S', 'S.', '.', 'P.', ...new Array<string>(chunks - 1).fill('.'), 'P.', 'P.', 'F.', 'F.', '.']);
    assert.match(packets[0] ?? '', new RegExp(`options \\[mss ${mss},nop,wscale 7\\]`));
    assert.match(packets[1] ?? '', new RegExp(`options \\[mss ${mss},nop,wscale 7\\]`));
    assert.equal(seqOf(packets[3] ?? ''), '1:42'); // the 41-byte request
    assert.equal(seqOf(packets[4] ?? ''), `1:${mss + 1}`);
    assert.equal(seqOf(packets[5] ?? ''), `${mss + 1}:${2 * mss + 1}`);
    assert.equal(seqOf(packets[3 + chunks] ?? ''), `${(chunks - 1) * mss + 1}:204801`);
    assert.match(packets[3 + chunks] ?? '', /ack 42,/);
    assert.equal(seqOf(packets[4 + chunks] ?? ''), '42:43');
    assert.match(packets[4 + chunks] ?? '', /ack 204801,/);
    assert.match(packets[5 + chunks] ?? '', /seq 43, ack 204801,/);
    assert.match(packets[6 + chunks] ?? '', /seq 204801, ack 44,/);
    assert.match(packets[7 + chunks] ?? '', /seq 44, ack 204802,/);
    for (const p of packets) assert.match(p, /win 65535/);
  });

  test(`${family}: the payload read back is exactly what was relayed, per direction`, () => {
    const { file, sent } = conversation({ client: { ip: client, port: 40001 }, server: { ip: server, port: 8080 } }, large);
    const tcp = readPackets(file).map((p) => decodeTcp(p.frame));
    assert.ok(tcp.every((p) => p !== undefined && p.ipChecksumOk && p.tcpChecksumOk));
    const ok = tcp.filter((p) => p !== undefined);
    const clientText = ok[0]?.src ?? '';
    assert.deepEqual(reassemble(ok, clientText), sent.client);
    assert.deepEqual(reassemble(ok, ok[1]?.src ?? ''), sent.server);
    assert.ok(ok.every((p) => p.payload.length <= mss));
  });
}

test('tcpdump -A shows the relayed text', { skip: !hasTcpdump }, () => {
  const { file } = conversation({ client: { ip: '10.0.0.1', port: 40001 }, server: { ip: '10.0.0.2', port: 80 } });
  assert.match(tcpdump(file, '-A', '-c', '4').join('\n'), /GET \/cgi-bin\/luci HTTP\/1\.1/);
});

test('section header names hachi and the session; the interface is Ethernet in microseconds', () => {
  const { file } = conversation({ client: { ip: '10.0.0.1', port: 40001 }, server: { ip: '10.0.0.2', port: 80 } });
  const [shb, idb] = readBlocks(file);
  assert.equal(shb?.type, 0x0a0d0d0a);
  assert.equal(new DataView(shb.body.buffer, shb.body.byteOffset).getUint32(0, true), 0x1a2b3c4d);
  const shbOpts = readOptions(shb.body.subarray(16));
  const comments = shbOpts.filter(([c]) => c === 1).map(([, v]) => new TextDecoder().decode(v));
  assert.match(comments[0] ?? '', /^hachi relay capture 10\.0\.0\.1 port 40001 -> 10\.0\.0\.2 port 80/);
  assert.equal(comments[1], 'device: test-cam');
  assert.equal(idb?.type, 1);
  const v = new DataView(idb.body.buffer, idb.body.byteOffset);
  assert.equal(v.getUint16(0, true), 1, 'LINKTYPE_ETHERNET');
  assert.equal(v.getUint32(4, true), 262_144, 'snaplen');
  assert.deepEqual(readOptions(idb.body.subarray(8)).find(([c]) => c === 9)?.[1], Uint8Array.of(6));
});

test('timestamps: fractional ms become microseconds, split into high and low words', { skip: !hasTcpdump }, () => {
  const s = createPcapngSession({ client: { ip: '10.0.0.1', port: 1 }, server: { ip: '10.0.0.2', port: 2 } });
  const file = Uint8Array.from(Buffer.concat([s.header(), s.open(1_700_000_000_123.456), s.data('client', text('x'), 1_700_000_001_000.25)]));
  assert.deepEqual(readPackets(file).map((p) => p.ts), [1_700_000_000_123_456n, 1_700_000_000_123_456n, 1_700_000_000_123_456n, 1_700_000_001_000_250n]);
  assert.match(tcpdump(file, '-tt')[0] ?? '', /^1700000000\.123456 IP/);
});

test('close by the server, and resets from either side', { skip: !hasTcpdump }, () => {
  const run = (by: 'server' | 'reset' | 'client-reset'): string[] => {
    const s = createPcapngSession({ client: { ip: '10.0.0.1', port: 5555 }, server: { ip: '10.0.0.2', port: 23 } });
    const file = Buffer.concat([s.header(), s.open(T0), s.data('server', text('login: '), T0), s.close(T0 + 1, by), s.close(T0 + 2, 'client')]);
    return packetsOf(tcpdump(file, '-vv')).slice(4);
  };
  const fin = run('server');
  assert.deepEqual(fin.map(flagsOf), ['F.', 'F.', '.']);
  assert.match(fin[0] ?? '', /10\.0\.0\.2\.23 > 10\.0\.0\.1\.5555: .*seq 8, ack 1,/);
  const rst = run('reset');
  assert.deepEqual(rst.map(flagsOf), ['R.']);
  assert.match(rst[0] ?? '', /10\.0\.0\.2\.23 > 10\.0\.0\.1\.5555: .*seq 8, ack 1,/);
  const crst = run('client-reset');
  assert.match(crst[0] ?? '', /10\.0\.0\.1\.5555 > 10\.0\.0\.2\.23: Flags \[R\.\], cksum 0x[0-9a-f]{4} \(correct\), seq 1, ack 8,/);
});

test('data or close before open opens implicitly; nothing is written after close', () => {
  const s = createPcapngSession({ client: { ip: '10.0.0.1', port: 1 }, server: { ip: '10.0.0.2', port: 2 } });
  const first = readPackets(s.data('server', text('banner'), T0)).map((p) => decodeTcp(p.frame)?.flags);
  assert.deepEqual(first, ['S', 'S.', '.', 'P.']);
  assert.equal(s.open(T0).length, 0);
  assert.ok(s.close(T0, 'client').length > 0);
  assert.equal(s.data('client', text('late'), T0).length, 0);
  assert.equal(s.close(T0, 'client').length, 0);
  const fresh = createPcapngSession({ client: { ip: '10.0.0.1', port: 1 }, server: { ip: '10.0.0.2', port: 2 } });
  assert.deepEqual(readPackets(fresh.close(T0, 'reset')).map((p) => decodeTcp(p.frame)?.flags), ['S', 'S.', '.', 'R.']);
});

test('IPv4-mapped clients are IPv4; a mixed pair is written as IPv6 with a mapped server', { skip: !hasTcpdump }, () => {
  const mapped = createPcapngSession({ client: { ip: '::ffff:198.51.100.7', port: 40000 }, server: { ip: '10.0.0.2', port: 23 } });
  const a = tcpdump(Buffer.concat([mapped.header(), mapped.open(T0)]));
  assert.match(a[0] ?? '', /IP 198\.51\.100\.7\.40000 > 10\.0\.0\.2\.23: Flags \[S\]/);
  const mixed = createPcapngSession({ client: { ip: '2001:db8::5', port: 40000 }, server: { ip: '10.0.0.2', port: 23 } });
  const b = tcpdump(Buffer.concat([mixed.header(), mixed.open(T0)]), '-vv');
  assert.match(b.join('\n'), /2001:db8::5\.40000 > ::ffff:10\.0\.0\.2\.23: Flags \[S\], cksum 0x[0-9a-f]{4} \(correct\)/);
});

test('ISNs: reproducible from the endpoints, or taken from the injected random source', () => {
  const ep: PcapngEndpoints = { client: { ip: '10.0.0.1', port: 1 }, server: { ip: '10.0.0.2', port: 2 } };
  const isns = (s: PcapngSession): number[] => readPackets(s.open(T0)).map((p) => decodeTcp(p.frame)?.seq ?? -1);
  assert.deepEqual(isns(createPcapngSession(ep)), isns(createPcapngSession(ep)));
  assert.notDeepEqual(isns(createPcapngSession(ep)), isns(createPcapngSession({ ...ep, client: { ip: '10.0.0.1', port: 3 } })));
  const values = [0.5, 0.999999999];
  const [c, sa] = isns(createPcapngSession(ep, { random: () => values.shift() ?? 0 }));
  assert.equal(c, 0x8000_0000);
  assert.equal(sa, Math.floor(0.999999999 * 2 ** 32));
});

test('seq wraps past 2^32 and the receiver ACKs long one-way streams before 1 MiB is in flight', () => {
  const s = createPcapngSession({ client: { ip: '10.0.0.1', port: 1 }, server: { ip: '10.0.0.2', port: 2 } }, { random: () => 0.9999999 });
  const data = pattern(3 << 20, 1);
  const file = Buffer.concat([s.open(T0), s.data('server', data, T0)]);
  const tcp = readPackets(file).map((p) => decodeTcp(p.frame)).filter((p) => p !== undefined);
  const acks = tcp.filter((p) => p.src === '10.0.0.1' && p.payload.length === 0).slice(2);
  assert.equal(acks.length, 3);
  let acked = tcp[1]?.seq ?? 0;
  for (const p of tcp.slice(3)) {
    if (p.src === '10.0.0.1') acked = p.ack;
    else assert.ok(((p.seq + p.payload.length - acked) >>> 0) <= 1 << 20);
  }
  assert.ok(tcp.some((p, i) => i > 3 && p.seq < (tcp[i - 1]?.seq ?? 0) && p.src === tcp[i - 1]?.src), 'seq wrapped');
  assert.ok(tcp.every((p) => p.tcpChecksumOk));
  assert.deepEqual(reassemble(tcp, '10.0.0.2'), data);
});

test('notes are non-TCP frames carrying the text and a packet comment, cut at 4 KiB', { skip: !hasTcpdump }, () => {
  const s = createPcapngSession({ client: { ip: '10.0.0.1', port: 1 }, server: { ip: '10.0.0.2', port: 2 } });
  const file = Buffer.concat([s.header(), s.open(T0), s.note('capture cut at 100 MB', T0 + 1), s.close(T0 + 2, 'client')]);
  const [note] = readPackets(file).filter((p) => p.comments.length > 0);
  assert.deepEqual(note?.comments, ['capture cut at 100 MB']);
  assert.equal(decodeTcp(note?.frame ?? new Uint8Array(14)), undefined);
  const lines = tcpdump(file, '-X');
  assert.match(lines.join('\n'), /ethertype Unknown \(0x88b5\)[\s\S]*capture\.cut\.at/);
  assert.equal(packetsOf(lines).length, 7);
  const long = readPackets(s.note('é'.repeat(3000), T0))[0]?.comments[0] ?? '';
  assert.equal(long, 'é'.repeat(2048));
});

test('bad endpoints throw a RangeError at creation', () => {
  assert.throws(() => createPcapngSession({ client: { ip: 'evil.example', port: 1 }, server: { ip: '10.0.0.2', port: 2 } }), RangeError);
  assert.throws(() => createPcapngSession({ client: { ip: '10.0.0.1', port: 70000 }, server: { ip: '10.0.0.2', port: 2 } }), RangeError);
});

test('speed: 100 MB in 64 KB chunks well under a second', (t) => {
  const s = createPcapngSession({ client: { ip: '10.0.0.1', port: 40000 }, server: { ip: '10.0.0.2', port: 80 } });
  const chunk = pattern(64 * 1024, 3);
  s.open(T0);
  for (let i = 0; i < 50; i++) s.data('server', chunk, T0); // warm up the JIT
  const chunks = Math.ceil((100 * 1024 * 1024) / chunk.length);
  const start = performance.now();
  for (let i = 0; i < chunks; i++) s.data(i % 2 === 0 ? 'server' : 'client', chunk, T0 + i);
  const ms = performance.now() - start;
  t.diagnostic(`pcapng: 100 MB in 64 KB chunks: ${ms.toFixed(1)} ms (${((ms * 1000) / chunks).toFixed(1)} µs per chunk)`);
  assert.ok(ms < 1000, `${ms} ms`);
});
