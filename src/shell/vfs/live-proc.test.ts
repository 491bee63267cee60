// Live /proc files: uptime follows the clock from the boot time; loadavg agrees with `uptime`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveProcFiles, loadAverages } from './live-proc.ts';

test('/proc/uptime grows with the clock from the boot time; other paths are not live', () => {
  let now = 1_000_000;
  const live = liveProcFiles(now - 3600_000, { now: () => now });
  assert.equal(new TextDecoder().decode(live('/proc/uptime')), '3600.00 3348.00\n');
  now += 90_500;
  assert.match(new TextDecoder().decode(live('/proc/uptime')), /^3690\.50 /);
  assert.equal(live('/proc/cpuinfo'), undefined);
});

test('/proc/loadavg shows the load averages uptime prints', () => {
  const now = 1_234_567;
  const text = new TextDecoder().decode(liveProcFiles(0, { now: () => now })('/proc/loadavg'));
  assert.equal(text.split(' ').slice(0, 3).join(' '), loadAverages(now).map((x) => x.toFixed(2)).join(' '));
});
