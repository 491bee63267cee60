// End-to-end for the `hachi` command line: persona list/check, config errors, a port in use,
// clean stop on SIGINT, and reading sessions, events, recordings and samples back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startHachi, type RunningHachi } from './hachi-process.ts';
import { CAMERA, ROUTER } from './personas.ts';
import { TelnetTestClient } from './telnet-client.ts';

const personaRoot = new URL('../../personas/', import.meta.url).pathname;

test('persona list shows the bundled personas; --json is one object per line', async () => {
  const table = await runCli(['persona', 'list']);
  assert.equal(table.code, 0, table.stderr);
  for (const id of [CAMERA.id, ROUTER.id, 'rk3308-smart-hub']) assert.match(table.stdout, new RegExp(id));
  const json = await runCli(['persona', 'list', '--json']);
  const lines = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string });
  assert.deepEqual(lines.map((p) => p.id).sort(), [ROUTER.id, 'rk3308-smart-hub', CAMERA.id].sort());
});

test('persona check accepts a shipped pack and names the file and key of a broken one', async () => {
  const ok = await runCli(['persona', 'check', join(personaRoot, CAMERA.id)]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /ok/);
  const dir = await mkdtemp(join(tmpdir(), 'hachi-pack-'));
  const pack = join(dir, 'broken-cam');
  await cp(join(personaRoot, CAMERA.id), pack, { recursive: true });
  const yaml = await readFile(join(pack, 'persona.yaml'), 'utf8');
  await writeFile(join(pack, 'persona.yaml'), yaml.replace(/machine: 40/, 'machine: "arm"'));
  const bad = await runCli(['persona', 'check', pack]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /persona\.yaml.*arch\.elf\.machine/);
});

test('an invalid configuration fails fast with file, key path and problem', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-config-'));
  const file = join(dir, 'bad.yaml');
  await writeFile(file, 'services:\n  - { name: cam, protocol: telnet, port: 70000, persona: xm-ipc-hi3516d }\n');
  const result = await runCli(['run', '--config', file, '--data', join(dir, 'data')]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, new RegExp(`HACHI_ERR_CONFIG: ${file.replaceAll('.', '\\.')}: services\\.0\\.port: `));
});

let hachi: RunningHachi;
let blocker: ReturnType<typeof createServer>;
let blockedPort = 0;
before(async () => {
  blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const address = blocker.address();
  blockedPort = typeof address === 'object' && address ? address.port : 0;
  hachi = await startHachi([{ name: 'camera', persona: CAMERA.id, loginFailureDelayMs: 0 }], {
    services: [
      { name: 'camera', protocol: 'telnet', host: '127.0.0.1', port: 0, persona: CAMERA.id, loginFailureDelayMs: 0 },
      { name: 'taken', protocol: 'telnet', host: '127.0.0.1', port: blockedPort, persona: ROUTER.id },
    ],
  });
});
after(async () => {
  await hachi.stop();
  blocker.close();
});

test('a port in use is reported and the other services keep running', async () => {
  assert.match(hachi.output(), new RegExp(`taken .*FAILED 127\\.0\\.0\\.1:${blockedPort}: .*already in use`));
  assert.match(hachi.output(), /1 of 2 services running/);
  const errors = await hachi.cli(['events', '--type', 'listener.error', '--json']);
  assert.match(errors.stdout, /"code":"EADDRINUSE"/);
});

test('a session is read back as sessions, events, recording and samples', async () => {
  const client = await TelnetTestClient.connect(hachi.ports.get('camera')!);
  assert.ok(await client.login(CAMERA.username, CAMERA.password));
  await client.run("cd /tmp; echo -ne '\\x7fELF-dropped' > .x; chmod +x .x; ./.x");
  await client.run('echo "<script>alert(1)</script>"');
  client.sendRaw('exit\r\n');
  await waitUntil(async () => (await hachi.cli(['sessions', '--json'])).stdout.includes('"closeReason":"exit"'));
  const session = JSON.parse((await hachi.cli(['sessions', '--json'])).stdout.trim().split('\n')[0]!) as { id: string; username: string; commandCount: number };
  assert.equal(session.username, CAMERA.username);
  const events = await hachi.cli(['events', '--session', session.id, '--json']);
  const types = events.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { type: string }).type);
  assert.deepEqual(types.slice(0, 3), ['session.connect', 'telnet.negotiation', 'auth.attempt']);
  assert.equal(types.at(-1), 'session.close');
  assert.ok(types.includes('exec.attempt') && types.includes('file.write'), types.join(' '));
  const samples = await hachi.cli(['samples', '--json']);
  assert.match(samples.stdout, /"paths":\["\/tmp\/\.x"\]/);
  await waitUntil(async () => (await hachi.cli(['replay', session.id, '--instant'])).code === 0);
  const replay = await hachi.cli(['replay', session.id, '--instant']);
  assert.match(replay.stdout, /LocalHost login: root/);
  assert.match(replay.stdout, /<script>alert\(1\)<\/script>/);
  const table = await hachi.cli(['events', '--session', session.id]);
  assert.equal(table.code, 0);
  const missing = await hachi.cli(['replay', 'NO-SUCH-SESSION']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /HACHI_ERR_NOT_FOUND/);
});

test('SIGINT closes sessions, flushes the store and exits 0', async () => {
  const other = await startHachi([{ name: 'camera', persona: CAMERA.id }]);
  const client = await TelnetTestClient.connect(other.ports.get('camera')!);
  await client.waitFor(/login: $/);
  assert.equal(await other.stop('SIGINT'), 0);
  const sessions = await runCli(['sessions', '--json', '--data', other.dataDir]);
  assert.match(sessions.stdout, /"closeReason":"(shutdown|client-closed)"/);
  const stops = await runCli(['events', '--type', 'sensor.stop', '--json', '--data', other.dataDir]);
  assert.match(stops.stdout, /"reason":"SIGINT"/);
  client.close();
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
