// Address parsing for relay captures: the forms Node reports for sockets, mapped IPv4, and garbage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import fc from 'fast-check';
import { parsePacketAddress, toIpv6 } from './pcapng-address.ts';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('IPv4 and IPv6 in the forms sockets report', () => {
  assert.deepEqual(parsePacketAddress('192.168.1.20'), { family: 4, bytes: Uint8Array.of(192, 168, 1, 20) });
  assert.equal(hex(parsePacketAddress('::1').bytes), `${'0'.repeat(31)}1`);
  assert.equal(hex(parsePacketAddress('::').bytes), '0'.repeat(32));
  assert.equal(hex(parsePacketAddress('2001:db8::8:800:200c:417a').bytes), '20010db80000000000080800200c417a');
  assert.equal(hex(parsePacketAddress('fe80::1%eth0').bytes), 'fe800000000000000000000000000001');
  assert.equal(hex(parsePacketAddress('1:2:3:4:5:6:7:8').bytes), '00010002000300040005000600070008');
  assert.equal(hex(parsePacketAddress('64:ff9b::192.0.2.33').bytes), '0064ff9b0000000000000000c0000221');
  assert.equal(parsePacketAddress('2001:db8::1').family, 6);
});

test('IPv4-mapped IPv6 comes back as IPv4, in dotted or hex form', () => {
  assert.deepEqual(parsePacketAddress('::ffff:1.2.3.4'), { family: 4, bytes: Uint8Array.of(1, 2, 3, 4) });
  assert.deepEqual(parsePacketAddress('::FFFF:0102:0304'), { family: 4, bytes: Uint8Array.of(1, 2, 3, 4) });
  assert.equal(hex(toIpv6(parsePacketAddress('10.0.0.2')).bytes), '00000000000000000000ffff0a000002');
});

test('garbage is refused', () => {
  for (const bad of ['', 'localhost', '1.2.3', '1.2.3.256', '1.2.3.4.5', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', '::1.2.3', 'g::1', '1:2:3:4:5:6:7::8'])
    assert.throws(() => parsePacketAddress(bad), RangeError, bad);
});

test('agrees with node:net about what an address is, and round-trips through the URL parser', () => {
  fc.assert(
    fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 20 })), (text) => {
      const kind = isIP(text);
      if (kind === 0) return assert.throws(() => parsePacketAddress(text));
      const parsed = parsePacketAddress(text);
      if (kind === 4) return assert.deepEqual([...parsed.bytes], text.split('.').map(Number));
      // The WHATWG URL parser canonicalises IPv6; compare canonical forms of both.
      const canonical = (t: string): string => new URL(`http://[${t}]/`).hostname;
      const v6 = toIpv6(parsed).bytes;
      const words = Array.from({ length: 8 }, (_, i) => ((v6[i * 2] ?? 0) * 256 + (v6[i * 2 + 1] ?? 0)).toString(16));
      assert.equal(canonical(words.join(':')), canonical(text));
    }),
    { numRuns: 500 },
  );
});
