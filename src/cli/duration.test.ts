import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HachiError } from '../core/errors.ts';
import { parseDuration } from './duration.ts';

test('durations in s, m, h, d and w', () => {
  assert.deepEqual(['90s', '15m', '12h', '30d', '2w'].map(parseDuration), [90_000, 900_000, 43_200_000, 2_592_000_000, 1_209_600_000]);
});

test('anything else is a usage error', () => {
  for (const bad of ['', '30', 'd', '-1d', '1.5h', '30 days', '9999999d']) assert.throws(() => parseDuration(bad), HachiError, bad);
});
