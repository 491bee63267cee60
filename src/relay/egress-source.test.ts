// Senders map to devices whatever the spelling of the address; strangers are 'unknown'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalIp, deviceNames } from './egress-source.ts';

test('IPv4, mapped IPv4 and differently spelled IPv6 find their device', () => {
  const nameOf = deviceNames([
    { name: 'cam', address: '192.0.2.10' },
    { name: 'router', address: '2001:DB8:0:0::10' },
  ]);
  assert.equal(nameOf('192.0.2.10'), 'cam');
  assert.equal(nameOf('::ffff:192.0.2.10'), 'cam');
  assert.equal(nameOf('2001:db8::10'), 'router');
  assert.equal(nameOf('2001:db8::11'), 'unknown');
  assert.equal(nameOf('not an address'), 'unknown');
  assert.equal(canonicalIp('::FFFF:C000:020A'), '192.0.2.10');
  assert.equal(canonicalIp('fe80::1%eth0'), null);
});
