// Progress renderer: counts, rate and ETA; a redrawn bar on a terminal, throttled plain lines otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress, formatBar, formatCounts, formatDuration } from './progress.ts';

function sink(isTTY: boolean): { stream: { isTTY: boolean; columns: number; write(s: string): void }; out: string[] } {
  const out: string[] = [];
  return { out, stream: { isTTY, columns: 80, write: (s: string) => void out.push(s) } };
}

test('durations read as m:ss or h:mm:ss', () => {
  assert.equal(formatDuration(0), '0:00');
  assert.equal(formatDuration(65_000), '1:05');
  assert.equal(formatDuration(3_725_000), '1:02:05');
  assert.equal(formatDuration(Number.POSITIVE_INFINITY), '?');
});

test('counts show done/total, percent, rate, ETA and failures', () => {
  assert.equal(formatCounts({ done: 10, total: 40, failed: 0, elapsedMs: 2000 }), '10/40 25% 5.0/s ETA 0:06');
  assert.equal(formatCounts({ done: 0, total: 40, failed: 0, elapsedMs: 0 }), '0/40 0% 0.0/s ETA ?');
  assert.equal(formatCounts({ done: 40, total: 40, failed: 2, elapsedMs: 1000 }), '40/40 100% 40/s done (2 failed)');
  assert.equal(formatCounts({ done: 0, total: 0, failed: 0, elapsedMs: 5 }), '0/0 100% 0.0/s done');
});

test('the bar fills in proportion and fits the terminal', () => {
  const half = formatBar('analysing', { done: 5, total: 10, failed: 0, elapsedMs: 1000 }, 80);
  assert.match(half, /^analysing \[(#+)(\.+)\] 5\/10 50%/);
  const [, hashes = '', dots = ''] = /\[(#*)(\.*)\]/.exec(half) ?? [];
  assert.equal(hashes.length, dots.length);
  assert.ok(half.length <= 80);
  assert.match(formatBar('x', { done: 3, total: 3, failed: 0, elapsedMs: 1 }, 40), /\[#+\]/);
});

test('on a terminal the line is redrawn in place, throttled, and ended by finish', () => {
  let t = 0;
  const { stream, out } = sink(true);
  const p = createProgress({ label: 'analysing', total: 4, stream, now: () => t, redrawEveryMs: 100 });
  p.update(1);
  t = 50;
  p.update(2);
  t = 200;
  p.update(3, 1);
  p.finish();
  p.finish();
  assert.equal(out.length, 4, 'two redraws, the final one, the newline');
  assert.ok(out.slice(0, 3).every((s) => s.startsWith('\r') && s.endsWith('\x1b[K')));
  assert.match(out[1]!, /3\/4 75% .*\(1 failed\)/);
  assert.match(out[2]!, /3\/4/, 'finish draws the last state even when throttled');
  assert.equal(out[3], '\n');
});

test('without a terminal it prints plain lines, no escapes, at most once per interval', () => {
  let t = 0;
  const { stream, out } = sink(false);
  const p = createProgress({ label: 'analysing', total: 100, stream, now: () => t, lineEveryMs: 5000 });
  for (let i = 1; i <= 100; i++) {
    t = i * 100;
    p.update(i);
  }
  p.finish();
  assert.deepEqual(out.map((l) => l.split(':')[0]), ['analysing', 'analysing', 'analysing']);
  assert.ok(out.every((l) => l.endsWith('\n') && !l.includes('\r') && !l.includes('\x1b')));
  assert.match(out.at(-1)!, /^analysing: 100\/100 100% 10\/s done\n$/);
});
