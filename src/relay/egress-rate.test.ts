// The per-device egress budget: a scanner's flood becomes a few events and one counted summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEgressRate, type EgressAttempt } from './egress-rate.ts';

const attempt = (device: string, n: number, protocol: 'tcp' | 'udp' = 'tcp'): EgressAttempt => ({ device, protocol, src: { ip: '192.0.2.10', port: 40000 + n }, bytes: n, preview: `p${n}`, dnsName: null });

test('the first attempts of a window are recorded, the rest folded into one summary per protocol', () => {
  const rate = createEgressRate({ perWindow: 3, windowMs: 60_000 });
  const recorded: number[] = [];
  for (let n = 0; n < 5000; n++) {
    if (rate.take('cam', 1000 + n)) recorded.push(n);
    else rate.fold(attempt('cam', n, n % 2 === 0 ? 'tcp' : 'udp'));
  }
  assert.deepEqual(recorded, [0, 1, 2]);
  assert.deepEqual(rate.drain(60_999), [], 'the window has not ended');
  const summaries = rate.drain(61_000);
  assert.deepEqual(
    summaries.map((s) => [s.device, s.protocol, s.count, s.first.preview]),
    [['cam', 'udp', 2499, 'p3'], ['cam', 'tcp', 2498, 'p4']],
  );
  assert.equal(summaries[1]?.bytes, Array.from({ length: 2498 }, (_, i) => 4 + 2 * i).reduce((a, b) => a + b, 0));
  assert.deepEqual(rate.drain(1e9, true), [], 'a summary is reported once');
});

test('devices have their own budgets, and a new window starts afresh', () => {
  const rate = createEgressRate({ perWindow: 1, windowMs: 1000 });
  assert.equal(rate.take('cam', 0), true);
  assert.equal(rate.take('cam', 10), false);
  rate.fold(attempt('cam', 1));
  assert.equal(rate.take('router', 10), true, 'another device is not starved by the scanner');
  assert.equal(rate.take('cam', 1000), true);
  assert.equal(rate.drain(500, true).length, 1, 'all: at shutdown every summary comes out');
});
