// Property: any sequence of relayed chunks gives a well-formed pcapng whose TCP streams are
// continuous per direction and carry exactly the relayed bytes, as read by an independent reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createPcapngSession } from './pcapng.ts';
import type { PcapngCloseBy, PcapngSide } from './pcapng.ts';
import { decodeTcp, readBlocks, readPackets } from '../testing/pcapng-reader.ts';

const call = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('data' as const), from: fc.constantFrom<PcapngSide>('client', 'server'), size: fc.oneof(fc.nat(3000), fc.constant(0), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 70_000 })), dt: fc.double({ min: 0, max: 5000, noNaN: true }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('note' as const), text: fc.string({ maxLength: 40 }), dt: fc.double({ min: 0, max: 5000, noNaN: true }) }) },
);

test('random chunk sequences: consistent blocks, continuous sequence numbers, exact bytes', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(['10.1.2.3', '10.9.8.7'], ['2001:db8::a', '2001:db8::b'], ['::ffff:10.1.2.3', '10.9.8.7']),
      fc.array(call, { maxLength: 25 }),
      fc.constantFrom<PcapngCloseBy>('client', 'server', 'reset', 'client-reset'),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      ([cip, sip], calls, closeBy, r) => {
        const s = createPcapngSession({ client: { ip: cip ?? '', port: 1024 }, server: { ip: sip ?? '', port: 23 } }, { random: () => r });
        const parts: Uint8Array[] = [s.header(), s.open(1e12)];
        const sent = { client: [] as Uint8Array[], server: [] as Uint8Array[] };
        let ts = 1e12;
        let notes = 0;
        for (const c of calls) {
          ts += c.dt;
          if (c.kind === 'note') {
            parts.push(s.note(c.text, ts));
            notes++;
            continue;
          }
          const bytes = Uint8Array.from({ length: c.size }, (_, i) => (i * 7 + c.size) & 0xff);
          sent[c.from].push(bytes);
          const out = s.data(c.from, bytes, ts);
          if (c.size === 0) assert.equal(out.length, 0);
          parts.push(out);
        }
        parts.push(s.close(ts, closeBy));
        const file = Uint8Array.from(Buffer.concat(parts));
        assert.equal(s.bytesWritten, file.length);

        const blocks = readBlocks(file); // throws unless both lengths of every block agree
        assert.deepEqual(blocks.slice(0, 2).map((b) => b.type), [0x0a0d0d0a, 1]);
        assert.ok(blocks.slice(2).every((b) => b.type === 6));
        const packets = readPackets(file);
        assert.equal(packets.length, s.packets);
        for (let i = 1; i < packets.length; i++) assert.ok((packets[i]?.ts ?? 0n) >= (packets[i - 1]?.ts ?? 0n));
        const tcp = packets.map((p) => decodeTcp(p.frame)).filter((p) => p !== undefined);
        assert.equal(tcp.length, packets.length - notes);

        const mss = tcp[0]?.family === 4 ? 1460 : 1440;
        const clientIp = tcp[0]?.src;
        const next = new Map<string, number>();
        for (const p of tcp) {
          assert.ok(p.ipChecksumOk && p.tcpChecksumOk);
          assert.ok(p.payload.length <= mss);
          const peer = p.src === clientIp ? tcp[1]?.src : clientIp;
          const expected = next.get(p.src);
          if (expected !== undefined) assert.equal(p.seq, expected, 'continuous per direction');
          if (p.flags.includes('.') && next.has(peer ?? '')) assert.equal(p.ack, next.get(peer ?? ''), 'acks all the peer sent');
          const consumes = p.payload.length + (p.flags.includes('S') || p.flags.includes('F') ? 1 : 0);
          next.set(p.src, (p.seq + consumes) >>> 0);
        }
        const stream = (src: string | undefined): Buffer => Buffer.concat(tcp.filter((p) => p.src === src).map((p) => p.payload));
        assert.deepEqual(stream(clientIp), Buffer.concat(sent.client));
        assert.deepEqual(stream(tcp[1]?.src), Buffer.concat(sent.server));
      },
    ),
    { numRuns: 60 },
  );
});
