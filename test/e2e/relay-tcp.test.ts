// End to end: a real device stand-in (BusyBox httpd with a CGI page, on loopback) behind hachi's
// raw TCP recording relay. curl reaches the real page through hachi; the session is recorded with
// mode 'real', byte counts and a pcapng capture tcpdump reads; the device's session limit and an
// unreachable device end in clear events.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { storedRows } from './stored-events.ts';
import { startHachi, type RunningHachi } from './hachi-process.ts';
import { freePort, waitForPort } from './loopback-ports.ts';
import { CAMERA } from './personas.ts';

const run = promisify(execFile);
let httpd: ChildProcess;
let devicePort = 0;
let deadPort = 0;
let hachi: RunningHachi;


before(async () => {
  const www = await mkdtemp(join(tmpdir(), 'hachi-device-'));
  await mkdir(join(www, 'cgi-bin'));
  await writeFile(join(www, 'index.html'), '<html><title>NETSurveillance WEB</title></html>\n');
  await writeFile(join(www, 'cgi-bin', 'status.cgi'), '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n"\necho "firmware V4.02.R11 uptime 42"\n');
  await chmod(join(www, 'cgi-bin', 'status.cgi'), 0o755);
  devicePort = await freePort();
  deadPort = await freePort();
  httpd = spawn('busybox', ['httpd', '-f', '-p', `127.0.0.1:${devicePort}`, '-h', www], { stdio: 'ignore' });
  await waitForPort(devicePort);
  hachi = await startHachi([{ name: 'camera', persona: CAMERA.id, loginFailureDelayMs: 0 }], {
    services: [{ name: 'camera', protocol: 'telnet', host: '127.0.0.1', port: 0, persona: CAMERA.id }],
    devices: [
      { name: 'cam-lab', product: 'XM IPC (lab unit)', firmware: 'V4.02.R11', address: '127.0.0.1', maxSessions: 2, reset: { command: ['/bin/sh', '-c', 'echo power-cycled'], settleMs: 100, drainTimeoutMs: 1000 }, services: [{ protocol: 'tcp', host: '127.0.0.1', port: 0, devicePort }] },
      { name: 'cam-down', product: 'XM IPC', firmware: 'V4.02.R11', address: '127.0.0.1', health: { enabled: false }, services: [{ protocol: 'tcp', host: '127.0.0.1', port: 0, devicePort: deadPort }] },
    ],
  });
});

after(async () => {
  await hachi.stop();
  httpd.kill();
});

const relayPort = (device: string, port: number): number => {
  const match = new RegExp(`${device}:${port}\\s.*listening on [^\\s]*:(\\d+)`).exec(hachi.output());
  assert.ok(match, hachi.output());
  return Number(match[1]);
};

const rows = (sql: string, count: number, ...params: string[]): Promise<Record<string, unknown>[]> => storedRows(hachi, sql, count, params);

test('curl reaches the real device page through the relay; the session is recorded as mode real with a capture', async () => {
  const port = relayPort('cam-lab', devicePort);
  const page = await run('curl', ['-s', '--max-time', '5', `http://127.0.0.1:${port}/cgi-bin/status.cgi`]);
  assert.equal(page.stdout, 'firmware V4.02.R11 uptime 42\n');
  const events = await rows("SELECT type, mode, persona, protocol, data FROM events WHERE persona = 'cam-lab' ORDER BY id", 4);
  assert.deepEqual(events.map((e) => e.type), ['session.connect', 'relay.open', 'relay.capture', 'session.close']);
  assert.ok(events.every((e) => e.mode === 'real' && e.protocol === 'tcp'));
  const close = JSON.parse(String(events[3]!.data)) as { bytesIn: number; bytesOut: number };
  assert.ok(close.bytesIn > 50 && close.bytesOut > 30);
  const capture = JSON.parse(String(events[2]!.data)) as { path: string; bytes: number };
  const dump = await run('tcpdump', ['-r', join(hachi.dataDir, capture.path), '-nn', '-A']);
  assert.match(dump.stdout, /GET \/cgi-bin\/status\.cgi HTTP\/1\.1/);
  assert.match(dump.stdout, /firmware V4\.02\.R11 uptime 42/);
});

test('past the device session limit new connections are closed with a device-sessions event', async () => {
  const port = relayPort('cam-lab', devicePort);
  const held = await Promise.all([1, 2].map(() => new Promise<Socket>((resolve) => { const s = connect(port, '127.0.0.1', () => resolve(s)); })));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const third = connect(port, '127.0.0.1');
  await new Promise((resolve) => third.on('close', resolve));
  const limits = await rows("SELECT data FROM events WHERE type = 'session.limit' AND persona = 'cam-lab'", 1);
  assert.equal((JSON.parse(String(limits[0]!.data)) as { limit: string }).limit, 'device-sessions');
  for (const s of held) s.destroy();
});

test('an unreachable device: relay.device-error and a device-unreachable close', async () => {
  const port = relayPort('cam-down', deadPort);
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.on('close', resolve));
  const errors = await rows("SELECT data FROM events WHERE type = 'relay.device-error' AND persona = 'cam-down'", 1);
  assert.equal((JSON.parse(String(errors[0]!.data)) as { code: string }).code, 'ECONNREFUSED');
  const closes = await rows("SELECT data FROM events WHERE type = 'session.close' AND persona = 'cam-down'", 1);
  assert.equal((JSON.parse(String(closes[0]!.data)) as { reason: string }).reason, 'device-unreachable');
});

test('hachi devices shows state and sessions; devices reset runs the hook in the running hachi', async () => {
  const list = await hachi.cli(['devices', '--json']);
  assert.equal(list.code, 0, list.stderr);
  const lab = list.stdout.trim().split('\n').map((l) => JSON.parse(l) as { device: string; up: boolean | null; sessions: number }).find((d) => d.device === 'cam-lab');
  assert.ok(lab && lab.up === true && lab.sessions >= 1, list.stdout);
  const reset = await hachi.cli(['devices', 'reset', 'cam-lab', '--wait', '20']);
  assert.equal(reset.code, 0, reset.stdout + reset.stderr);
  assert.match(reset.stdout, /cam-lab: reset \(demand\) exit 0: power-cycled/);
  const table = await hachi.cli(['devices']);
  assert.match(table.stdout, /cam-lab +up +\d+ .* demand exit 0/);
  assert.equal((await hachi.cli(['devices', 'reset', '../etc'])).code, 2);
});

test('attackers who reset while waiting for a full device, and a burst of connections, leave hachi running', async () => {
  const port = relayPort('cam-lab', devicePort);
  const held = await Promise.all([1, 2].map(() => new Promise<Socket>((resolve) => { const s = connect(port, '127.0.0.1', () => resolve(s)); })));
  // These wait for a slot (admitWaitMs); each resets before it gets one.
  const waiting = await Promise.all(Array.from({ length: 20 }, () => new Promise<Socket>((resolve) => { const s = connect(port, '127.0.0.1', () => resolve(s)); s.on('error', () => undefined); })));
  for (const s of waiting) s.resetAndDestroy();
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const s of held) s.destroy();
  assert.equal(hachi.child.exitCode, null, hachi.output());
  const page = await new Promise<string>((resolve) => {
    const s = connect(port, '127.0.0.1', () => s.end('GET /index.html HTTP/1.0\r\n\r\n'));
    let text = '';
    s.on('data', (c: Buffer) => (text += c.toString()));
    s.on('close', () => resolve(text));
  });
  assert.match(page, /NETSurveillance WEB/);
});
