// Health monitor (changes only, one probe at a time, hung probes) on fake time, and the TCP probe
// against real loopback sockets: a listening server, a closed port, and a full accept queue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, connect, Socket, type Server } from 'node:net';
import { once } from 'node:events';
import { createHealthMonitor, tcpProbe, type HealthState, type ProbeResult } from './device-health.ts';
import { createFakeTimers, settle } from '../testing/fake-timers.ts';

const up = (latencyMs = 1): ProbeResult => ({ up: true, latencyMs, detail: 'ok' });
const down = (detail = 'connect ECONNREFUSED'): ProbeResult => ({ up: false, latencyMs: null, detail });

test('reports the first result and then only changes between up and down', async () => {
  const fake = createFakeTimers(1000);
  const answers = [up(), up(2), down(), down('timeout after 50 ms'), up(), up()];
  let probes = 0;
  const changes: HealthState[] = [];
  const monitor = createHealthMonitor({ probe: async () => answers[probes++] ?? up(), intervalMs: 100, timeoutMs: 50, onChange: (s) => changes.push(s), now: fake.now, timers: fake.timers });
  await settle();
  assert.equal(probes, 1);
  assert.deepEqual(changes.map((c) => c.up), [true]);
  assert.equal(changes[0]!.checkedAt, 1000);
  await fake.advance(500);
  assert.equal(probes, 6);
  assert.deepEqual(changes.map((c) => [c.up, c.detail, c.latencyMs]), [[true, 'ok', 1], [false, 'connect ECONNREFUSED', null], [true, 'ok', 1]]);
  assert.equal(monitor.current()?.up, true);
  monitor.stop();
  await fake.advance(1000);
  assert.equal(probes, 6, 'no probes after stop');
  assert.equal(fake.pending(), 0);
});

test('never runs two probes at once: check() during a probe joins it, and the schedule waits for it', async () => {
  const fake = createFakeTimers();
  let running = 0;
  let most = 0;
  let calls = 0;
  const release: (() => void)[] = [];
  const probe = (): Promise<ProbeResult> => {
    calls += 1;
    running += 1;
    most = Math.max(most, running);
    return new Promise((resolve) =>
      release.push(() => {
        running -= 1;
        resolve(up());
      }),
    );
  };
  const monitor = createHealthMonitor({ probe, intervalMs: 10, timeoutMs: 10_000, onChange: () => undefined, now: fake.now, timers: fake.timers });
  const a = monitor.check();
  const b = monitor.check();
  assert.equal(a, b);
  await fake.advance(100); // the interval must not start a second probe while the first hangs
  assert.equal(calls, 1);
  release.shift()!();
  const state = await a;
  assert.equal(state.up, true);
  await fake.advance(10);
  assert.equal(calls, 2);
  assert.equal(most, 1);
  // An on-demand check replaces the scheduled one rather than adding to it.
  release.shift()!();
  await settle();
  void monitor.check();
  await fake.advance(10);
  assert.equal(calls, 3);
  assert.equal(most, 1);
  monitor.stop();
  release.shift()!();
});

test('a probe that hangs counts as down at the timeout, and a rejecting probe is down too', async () => {
  const fake = createFakeTimers();
  const changes: HealthState[] = [];
  let mode: 'hang' | 'throw' | 'up' = 'hang';
  const probe = (): Promise<ProbeResult> => (mode === 'hang' ? new Promise(() => undefined) : mode === 'throw' ? Promise.reject(new Error('boom')) : Promise.resolve(up()));
  const monitor = createHealthMonitor({ probe, intervalMs: 100, timeoutMs: 30, onChange: (s) => changes.push(s), now: fake.now, timers: fake.timers });
  await fake.advance(29);
  assert.equal(changes.length, 0);
  await fake.advance(1);
  assert.deepEqual(changes.map((c) => [c.up, c.detail]), [[false, 'probe gave no answer within 30 ms']]);
  mode = 'up';
  await fake.advance(130);
  mode = 'throw';
  await fake.advance(130);
  assert.deepEqual(changes.map((c) => [c.up, c.detail]), [[false, 'probe gave no answer within 30 ms'], [true, 'ok'], [false, 'probe failed: boom']]);
  monitor.stop();
});

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

test('tcpProbe: up against a listening loopback server, with its latency', async () => {
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    socket.on('error', () => undefined);
  });
  const port = await listen(server);
  const result = await tcpProbe('127.0.0.1', port, 2000);
  assert.equal(result.up, true);
  assert.ok(result.latencyMs !== null && result.latencyMs >= 0 && result.latencyMs < 2000);
  assert.equal(result.detail, `connected to 127.0.0.1:${port}`);
  server.close();
  await once(server, 'close'); // only closes once the probe's connection is gone
  assert.equal(accepted, 1);
});

test('tcpProbe: down with ECONNREFUSED on a closed port', async () => {
  const server = createServer();
  const port = await listen(server);
  server.close();
  await once(server, 'close');
  assert.deepEqual(await tcpProbe('127.0.0.1', port, 2000), { up: false, latencyMs: null, detail: 'connect ECONNREFUSED' });
});

test('tcpProbe: a connection that never completes times out', async () => {
  // An unconnected socket: it never emits connect or error, like a device that drops SYNs.
  let opened: Socket | null = null;
  const result = await tcpProbe('127.0.0.1', 9, 40, { connect: () => (opened = new Socket()) });
  assert.deepEqual(result, { up: false, latencyMs: null, detail: 'timeout after 40 ms' });
  assert.equal(opened!.destroyed, true);
});

const python = spawnSync('python3', ['-c', 'pass']).status === 0;

test('tcpProbe: times out against a real loopback listener whose accept queue is full', { skip: python ? false : 'python3 not installed' }, async () => {
  // Node always accepts; a Python socket with backlog 0 that never accepts holds one connection,
  // and Linux then drops further SYNs: a real black hole on 127.0.0.1.
  const child = spawn('python3', ['-c', 'import socket,sys,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(60)'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const port = Number(line.toString().trim());
    const filler = connect({ host: '127.0.0.1', port });
    await once(filler, 'connect');
    const result = await tcpProbe('127.0.0.1', port, 300);
    assert.deepEqual(result, { up: false, latencyMs: null, detail: 'timeout after 300 ms' });
    filler.destroy();
  } finally {
    child.kill('SIGKILL');
  }
});
