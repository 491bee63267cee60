// Credential policy: factory credentials, accept-after-N-failures per source, bounded state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAuthPolicy, createFailureCounts } from './auth-policy.ts';

const factory = [{ username: 'root', password: 'xc3511' }, { username: 'admin', password: '' }];

test('factory credentials are accepted, anything else refused', () => {
  const policy = createAuthPolicy({ accepted: factory, acceptAfterFailures: null }, createFailureCounts());
  assert.equal(policy({ source: '10.0.0.1', username: 'root', password: 'xc3511' }), true);
  assert.equal(policy({ source: '10.0.0.1', username: 'admin', password: '' }), true);
  for (let i = 0; i < 20; i++) assert.equal(policy({ source: '10.0.0.1', username: 'root', password: `guess${i}` }), false);
  assert.equal(policy({ source: '10.0.0.1', username: 'root', password: 'XC3511' }), false);
  assert.equal(policy({ source: '10.0.0.1', username: 'root:x', password: 'c3511' }), false);
});

test('acceptAfterFailures: N counts failures per source address, across sessions', () => {
  const failures = createFailureCounts();
  const policy = createAuthPolicy({ accepted: factory, acceptAfterFailures: 2 }, failures);
  assert.equal(policy({ source: '10.0.0.1', username: 'a', password: 'b' }), false);
  assert.equal(policy({ source: '10.0.0.2', username: 'a', password: 'b' }), false);
  assert.equal(policy({ source: '10.0.0.1', username: 'c', password: 'd' }), false);
  assert.equal(policy({ source: '10.0.0.1', username: 'e', password: 'f' }), true);
  assert.equal(policy({ source: '10.0.0.2', username: 'e', password: 'f' }), false);
  // A second policy sharing the map (another session or persona) sees the same counts.
  const again = createAuthPolicy({ accepted: [], acceptAfterFailures: 2 }, failures);
  assert.equal(again({ source: '10.0.0.2', username: 'x', password: 'y' }), true);
});

test('acceptAfterFailures: 0 accepts everything', () => {
  const policy = createAuthPolicy({ accepted: [], acceptAfterFailures: 0 }, createFailureCounts());
  assert.equal(policy({ source: '::1', username: 'x', password: 'y' }), true);
});

test('per-source state is bounded: the least recently seen source is forgotten', () => {
  const failures = createFailureCounts(2);
  const policy = createAuthPolicy({ accepted: [], acceptAfterFailures: 1 }, failures);
  policy({ source: 'a', username: 'u', password: 'p' });
  policy({ source: 'b', username: 'u', password: 'p' });
  policy({ source: 'c', username: 'u', password: 'p' });
  assert.equal(failures.size, 2);
  assert.equal(policy({ source: 'a', username: 'u', password: 'p' }), false, 'a was evicted, so it starts again');
  assert.equal(policy({ source: 'c', username: 'u', password: 'p' }), true);
});
