// The device state machine on fake time: resets after N sessions only once they ended, refusals
// while draining, resetting, down or full, the schedule, demand and indicator triggers, settling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDeviceState, type DeviceStateName, type DeviceStateOptions, type LastReset, type ResetPolicy } from './device-state.ts';
import type { ResetOutcome } from './reset-hook.ts';
import { createFakeTimers, settle, type FakeTimers } from '../testing/fake-timers.ts';

interface Harness {
  readonly fake: FakeTimers;
  readonly states: DeviceStateName[];
  readonly resets: LastReset[];
  /** Hook runs waiting to be finished by the test. */
  readonly runs: ((outcome?: ResetOutcome) => void)[];
  healthyAfterReset: boolean;
}

function setup(policy: Partial<ResetPolicy> | null, extra: Partial<DeviceStateOptions> = {}) {
  const fake = createFakeTimers(10_000);
  const h: Harness = { fake, states: [], resets: [], runs: [], healthyAfterReset: true };
  const run = (): Promise<ResetOutcome> => new Promise((resolve) => h.runs.push((o) => resolve(o ?? { exitCode: 0, durationMs: 5, detail: 'rebooted' })));
  const reset: ResetPolicy | null = policy === null ? null : { run, afterSessions: null, everyMs: null, settleMs: 1000, drainTimeoutMs: 5000, ...policy };
  const device = createDeviceState({
    name: 'cam-1',
    maxSessions: 3,
    reset,
    check: async () => h.healthyAfterReset,
    maxWaiting: 2,
    now: fake.now,
    timers: fake.timers,
    onState: (s) => h.states.push(s),
    onReset: (r) => h.resets.push(r),
    ...extra,
  });
  return { device, h };
}

test('reset after N sessions waits for every live session to end, and refuses new ones meanwhile', async () => {
  const { device, h } = setup({ afterSessions: 2 });
  device.sessionStarted();
  assert.deepEqual(device.admit(), { ok: true });
  device.sessionStarted();
  assert.equal(device.status().state, 'draining');
  assert.deepEqual(device.admit(), { ok: false, state: 'draining', reason: 'device cam-1 resets (sessions) once its live sessions end (2 left)' });
  await h.fake.advance(60_000); // no drain timeout for session-count resets: never cut a live session
  assert.equal(h.runs.length, 0);
  device.sessionEnded();
  assert.equal(h.runs.length, 0);
  device.sessionEnded();
  assert.equal(h.runs.length, 1, 'the hook runs when the last session ends');
  assert.equal(device.status().state, 'resetting');
  assert.deepEqual(device.admit(), { ok: false, state: 'resetting', reason: 'device cam-1 is resetting' });
  h.runs[0]!({ exitCode: 0, durationMs: 42, detail: 'outlet 3 cycled' });
  await settle();
  assert.deepEqual(h.resets, [{ exitCode: 0, durationMs: 42, detail: 'outlet 3 cycled', at: 70_000, trigger: 'sessions', reason: null }]);
  assert.equal(device.admit().ok, false, 'still settling after the hook');
  await h.fake.advance(999);
  assert.equal(device.status().state, 'resetting');
  await h.fake.advance(1);
  assert.deepEqual(device.admit(), { ok: true });
  assert.deepEqual(h.states, ['draining', 'resetting', 'up']);
  assert.equal(device.status().sessionsSinceReset, 0);
  assert.equal(device.status().lastReset?.trigger, 'sessions');
});

test('after the settle time a device still down stays refused until the health monitor reports it up', async () => {
  const { device, h } = setup({});
  assert.equal(device.demand(), 'pending');
  h.healthyAfterReset = false;
  h.runs[0]!();
  await h.fake.advance(1000);
  assert.equal(device.status().state, 'down');
  assert.deepEqual(device.admit(), { ok: false, state: 'down', reason: 'device cam-1 is down' });
  device.healthChanged(true);
  assert.deepEqual(device.admit(), { ok: true });
  assert.deepEqual(h.states, ['resetting', 'down', 'up']);
});

test('health: down refuses, up admits again; changes during a reset wait for its end', async () => {
  const { device, h } = setup({});
  device.healthChanged(false);
  assert.equal(device.admit().ok, false);
  device.healthChanged(true);
  assert.equal(device.admit().ok, true);
  device.demand();
  device.healthChanged(true); // the periodic probe while the hook runs: not yet admitted
  assert.equal(device.status().state, 'resetting');
  h.runs[0]!();
  await h.fake.advance(1000);
  assert.deepEqual(h.states, ['down', 'up', 'resetting', 'up']);
});

test('the schedule fires everyMs after the start and again after each reset', async () => {
  const { device, h } = setup({ everyMs: 60_000 });
  await h.fake.advance(59_999);
  assert.equal(h.runs.length, 0);
  await h.fake.advance(1);
  assert.equal(h.runs.length, 1);
  h.runs[0]!();
  await h.fake.advance(1000); // settle; the next schedule counts from here
  assert.equal(h.resets[0]?.trigger, 'schedule');
  await h.fake.advance(59_999);
  assert.equal(h.runs.length, 1);
  await h.fake.advance(1);
  assert.equal(h.runs.length, 2);
  device.stop();
});

test('a scheduled reset waits for live sessions too', async () => {
  const { device, h } = setup({ everyMs: 1000 });
  device.sessionStarted();
  await h.fake.advance(10_000);
  assert.equal(device.status().state, 'draining');
  assert.equal(h.runs.length, 0);
  device.sessionEnded();
  assert.equal(h.runs.length, 1);
});

test('demand with sessions live waits at most drainTimeoutMs, then runs the hook', async () => {
  const { device, h } = setup({});
  device.sessionStarted();
  assert.equal(device.demand(), 'pending');
  assert.equal(device.demand(), 'already');
  await h.fake.advance(4999);
  assert.equal(h.runs.length, 0);
  await h.fake.advance(1);
  assert.equal(h.runs.length, 1);
  assert.equal(device.demand(), 'already', 'a demand while resetting joins it');
  device.sessionEnded(); // the power cycle cut it
  h.runs[0]!({ exitCode: null, durationMs: 120_000, detail: 'timeout after 120000 ms, killed' });
  await settle();
  assert.deepEqual([h.resets[0]?.trigger, h.resets[0]?.exitCode], ['demand', null]);
  assert.equal(device.status().active, 0);
});

test('an indicator upgrades a pending session-count reset and carries its reason', async () => {
  const { device, h } = setup({ afterSessions: 1 });
  device.sessionStarted();
  assert.equal(device.status().pendingReset, 'sessions');
  assert.equal(device.indicator('new listening port 4444/tcp'), 'already');
  assert.equal(device.status().pendingReset, 'indicator');
  await h.fake.advance(5000);
  assert.equal(h.runs.length, 1);
  h.runs[0]!();
  await settle();
  assert.deepEqual([h.resets[0]?.trigger, h.resets[0]?.reason], ['indicator', 'new listening port 4444/tcp']);
});

test('an idle device resets at once on an indicator; without a hook nothing is requested', async () => {
  const { device, h } = setup({});
  assert.equal(device.indicator('outbound connection to 203.0.113.5:23'), 'pending');
  assert.equal(h.runs.length, 1);
  const bare = setup(null).device;
  assert.equal(bare.demand(), 'no-hook');
  assert.equal(bare.indicator('x'), 'no-hook');
  assert.equal(bare.status().state, 'up');
});

test('a hook that rejects is reported as a failed reset and the device still settles', async () => {
  const { device, h } = setup({ run: () => Promise.reject(new Error('pdu unreachable')) });
  device.demand();
  await h.fake.advance(1000);
  assert.deepEqual([h.resets[0]?.exitCode, h.resets[0]?.detail], [null, 'reset hook failed: Error: pdu unreachable']);
  assert.equal(device.status().state, 'up');
  const throwing = setup({ run: () => { throw new Error('bad hook'); } });
  throwing.device.demand();
  await throwing.h.fake.advance(1000);
  assert.equal(throwing.h.resets[0]?.detail, 'reset hook failed: Error: bad hook');
});

test('full at maxSessions; acquire waits for a slot, counts the session, and gives up at its deadline', async () => {
  const { device, h } = setup(null);
  for (let i = 0; i < 3; i++) assert.deepEqual(await device.acquire(0), { ok: true });
  assert.equal(device.status().state, 'full');
  assert.deepEqual(device.admit(), { ok: false, state: 'full', reason: 'device cam-1 already has 3 sessions' });
  const first = device.acquire(2000);
  const second = device.acquire(500);
  const third = await device.acquire(2000);
  assert.deepEqual(third, { ok: false, state: 'full', reason: 'device cam-1 already has 3 sessions; 2 sessions already waiting' });
  await h.fake.advance(500);
  assert.deepEqual(await second, { ok: false, state: 'full', reason: 'device cam-1 already has 3 sessions' });
  device.sessionEnded();
  assert.deepEqual(await first, { ok: true });
  assert.equal(device.status().active, 3, 'the waiting session was counted');
  assert.deepEqual(h.states, ['full'], 'a freed slot goes straight to the waiter: no flap to up');
  device.stop();
  assert.equal(h.fake.pending(), 0);
});

test('stop refuses waiting sessions and silences callbacks', async () => {
  const { device, h } = setup({ everyMs: 1000 });
  device.healthChanged(false);
  const waiting = device.acquire(10_000);
  device.stop();
  assert.deepEqual(await waiting, { ok: false, state: 'down', reason: 'device cam-1 is down' });
  await h.fake.advance(5000);
  assert.equal(h.runs.length, 0);
  device.healthChanged(true);
  assert.deepEqual(h.states, ['down']);
});
