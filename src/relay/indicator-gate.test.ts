// Indicators: once per thing per cooldown, and a ceiling per device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createIndicatorGate } from './indicator-gate.ts';

test('the same thing fires once per cooldown; a device has a ceiling of distinct things', () => {
  const gate = createIndicatorGate({ cooldownMs: 1000, maxPerDevice: 3 });
  assert.equal(gate.allow('cam', 'egress 203.0.113.5:6667', 0), true);
  assert.equal(gate.allow('cam', 'egress 203.0.113.5:6667', 999), false);
  assert.equal(gate.allow('router', 'egress 203.0.113.5:6667', 10), true, 'another device is another thing');
  assert.equal(gate.allow('cam', 'new-port 48101', 10), true);
  assert.equal(gate.allow('cam', 'egress 198.51.100.1:23', 20), true);
  for (let i = 0; i < 1000; i++) assert.equal(gate.allow('cam', `egress 198.51.100.${i % 250}:${i}`, 30), false);
  assert.deepEqual([...gate.takeSuppressed()], [['cam', 1001]]);
  assert.deepEqual([...gate.takeSuppressed()], []);
  assert.equal(gate.allow('cam', 'egress 203.0.113.5:6667', 1000), true, 'after the cooldown it fires again');
});
