// The dashboard's access rules: what counts as loopback, when a token is mandatory (in the config
// and at server start), and the bearer check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bearerMatches, bindProblem, isLoopbackHost } from './access.ts';
import { parseConfig } from '../config/load.ts';
import { startApiServer } from './server.ts';
import type { Store } from '../storage/store.ts';

const quiet = { info: () => undefined, warn: () => undefined };
const TOKEN = 'a-long-enough-token-0123456789';

test('loopback is 127.0.0.0/8 and ::1, nothing else', () => {
  for (const host of ['127.0.0.1', '127.0.0.2', '127.255.255.254', '::1', '0:0:0:0:0:0:0:1']) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'localhost', '::2', '', 'example.org']) assert.equal(isLoopbackHost(host), false, host);
});

test('a non-loopback bind needs a token of at least 16 characters', () => {
  assert.equal(bindProblem('127.0.0.1', undefined), null);
  assert.match(bindProblem('0.0.0.0', undefined) ?? '', /dashboard\.token/);
  assert.match(bindProblem('192.0.2.1', '') ?? '', /not a loopback address/);
  assert.match(bindProblem('::', 'short') ?? '', /at least 16/);
  assert.equal(bindProblem('0.0.0.0', TOKEN), null);
});

test('the configuration refuses a non-loopback dashboard without a token', () => {
  const defaults = parseConfig(undefined, 'test');
  assert.deepEqual(defaults.dashboard, { enabled: true, host: '127.0.0.1', port: 8800 });
  assert.throws(() => parseConfig({ dashboard: { host: '0.0.0.0' } }, 'test'), /dashboard\.token/);
  assert.throws(() => parseConfig({ dashboard: { host: '10.1.2.3', token: 'short' } }, 'test'), /at least 16/);
  assert.equal(parseConfig({ dashboard: { host: '0.0.0.0', token: TOKEN } }, 'test').dashboard.token, TOKEN);
  // Disabled: nothing listens, so nothing to protect.
  assert.equal(parseConfig({ dashboard: { enabled: false, host: '0.0.0.0' } }, 'test').dashboard.enabled, false);
});

test('the server refuses to start off loopback without a token, before binding', async () => {
  const store = {} as Store; // never reached: the check comes first
  await assert.rejects(startApiServer({ host: '0.0.0.0', port: 0, store, routes: [], logger: quiet }), (e: unknown) => e instanceof Error && /not a loopback address/.test(e.message));
});

test('the bearer check accepts exactly "Bearer <token>"', () => {
  assert.equal(bearerMatches(`Bearer ${TOKEN}`, TOKEN), true);
  for (const header of [undefined, '', TOKEN, `bearer ${TOKEN}`, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, 'Bearer ', `Basic ${TOKEN}`]) {
    assert.equal(bearerMatches(header, TOKEN), false, String(header));
  }
});
