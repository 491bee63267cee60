// ULID generation: length, order and monotonicity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createIdGenerator, idTime } from './ids.ts';

test('ids are 26 chars, sortable, monotonic within the same millisecond', () => {
  let t = 1_700_000_000_000;
  const next = createIdGenerator({ now: () => t, randomBytes: (n) => new Uint8Array(n).fill(7) });
  const a = next();
  const b = next();
  t += 1;
  const c = next();
  assert.equal(a.length, 26);
  assert.ok(a < b && b < c);
  assert.equal(idTime(a), 1_700_000_000_000);
  assert.equal(idTime(c), 1_700_000_000_001);
});
