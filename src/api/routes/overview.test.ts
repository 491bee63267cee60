// The overview route: defaults to the last day, validates since/until, and returns the store's overview.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEventFactory } from '../../testing/telnet-events.ts';
import { storeWithEvents } from '../../testing/store-with-events.ts';
import { ParameterError } from '../params.ts';
import { overviewRoute } from './overview.ts';

const call = (qs: string, store: Parameters<typeof overviewRoute.handle>[1]) => overviewRoute.handle({ params: {}, query: new URLSearchParams(qs) }, store);

test('GET /api/v1/overview answers the range from the rollups', async (t) => {
  const start = Date.UTC(2026, 0, 1);
  const f = createEventFactory(start);
  const store = await storeWithEvents(t, [0, 1, 2].flatMap((i) => f.botSession(i)));
  const res = await call(`since=${start}&until=2026-01-01T02:00:00Z`, store);
  assert.equal(res.status, 200);
  const body = res.body as ReturnType<typeof store.overview>;
  assert.equal(body.counters.sessions, 3);
  assert.equal(body.counters.loginsOk, 3);
  assert.deepEqual(body.topCredentials.map((c) => [c.username, c.password, c.count]), [['root', 'vizxv', 3], ['root', 'xc3511', 3]]);
  assert.equal(body.until - body.since, 2 * 3_600_000);
  const recent = (await call('', store)).body as ReturnType<typeof store.overview>;
  assert.equal(recent.counters.sessions, 0, 'the default range is the last 24 hours');
});

test('bad ranges and unknown parameters are rejected by name', async (t) => {
  const store = await storeWithEvents(t, []);
  for (const [qs, parameter] of [['since=10&until=5', 'since'], ['since=0&until=99999999999', 'since'], ['since=yesterday', 'since'], ['from=1', 'from']] as const) {
    await assert.rejects(async () => call(qs, store), (e: unknown) => e instanceof ParameterError && e.parameter === parameter, qs);
  }
});
