// SSRF guard: every non-internet range is refused unless allow-listed, including IPv4 hidden in IPv6.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createAddressGuard, isValidCidr } from './address-guard.ts';

const guard = createAddressGuard({ allow: [], ownAddresses: ['203.0.114.7', '2a01:4f8::7'] });

test('refused by default: loopback, private, shared, link-local, multicast, reserved, own addresses', () => {
  const refused: [string, string][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['169.254.169.254', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fd00::1', 'private'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['203.0.114.7', 'own-address'],
    ['2a01:4f8::7', 'own-address'],
    // IPv4 inside IPv6 reaches the IPv4 address.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:c0a8:0101::1', 'private'],
  ];
  for (const [address, reason] of refused) assert.deepEqual(guard.check(address), { allowed: false, reason }, address);
});

test('public addresses are allowed; bracketed and zone-suffixed forms are read as addresses', () => {
  for (const address of ['1.1.1.1', '8.8.4.4', '172.32.0.1', '192.169.0.1', '2a00:1450:4001::200e', '[2606:4700::1111]']) {
    assert.deepEqual(guard.check(address), { allowed: true, reason: 'public' }, address);
  }
  assert.deepEqual(guard.check('fe80::1%eth0'), { allowed: false, reason: 'link-local' });
  assert.deepEqual(guard.check('example.com'), { allowed: false, reason: 'not-an-address' });
  assert.deepEqual(guard.check('127.1'), { allowed: false, reason: 'not-an-address' });
});

test('the allow-list opens exactly what it names', () => {
  const open = createAddressGuard({ allow: ['127.0.0.1/32', '10.9.0.0/16', '::1'], ownAddresses: [] });
  assert.equal(open.check('127.0.0.1').allowed, true);
  assert.equal(open.check('127.0.0.2').allowed, false);
  assert.equal(open.check('10.9.200.1').allowed, true);
  assert.equal(open.check('10.10.0.1').allowed, false);
  assert.equal(open.check('::1').allowed, true);
  assert.equal(open.check('::ffff:127.0.0.1').allowed, true);
  assert.throws(() => createAddressGuard({ allow: ['10.0.0.0/33'], ownAddresses: [] }), /not an address or CIDR/);
});

test('CIDR validation', () => {
  for (const ok of ['1.2.3.4', '1.2.3.0/24', '::/0', 'fe80::/10']) assert.equal(isValidCidr(ok), true, ok);
  for (const bad of ['', '1.2.3', '1.2.3.4/', '1.2.3.4/x', '::/129', '1.2.3.4/24/1', 'host/8']) assert.equal(isValidCidr(bad), false, bad);
});

test('property: any string gives a verdict, never an exception', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.ipV4(), fc.ipV6(), fc.ipV4Extended()), (s) => {
      const verdict = guard.check(s);
      assert.equal(typeof verdict.allowed, 'boolean');
    }),
  );
});
