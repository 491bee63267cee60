// End to end: every attack scenario of ../shared/corpus/telnet-attacks.yaml run through hachi's Telnet
// relay against a real device: BusyBox telnetd in its own network, PID and mount namespaces, chrooted
// into a fresh BusyBox root (fixtures/device-jail.sh), so the commands really run and touch nothing
// of the host. The events must say what really happened there: the credentials and whether the
// device took them, each command, the device's own output, the dropped file, the fetched payload;
// and when a bot kills the device's telnetd, the reset hook brings it back while the relay pauses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startPayloadServer, type PayloadServer } from '../../src/testing/payload-server.ts';
import { attackCorpus } from './attack-corpus.ts';
import { startHachi, type RunningHachi } from './hachi-process.ts';
import { CAMERA } from './personas.ts';
import { TelnetTestClient } from './telnet-client.ts';
import { storedEvents } from './stored-events.ts';


const run = promisify(execFile);
const JAIL = fileURLToPath(new URL('./fixtures/device-jail.sh', import.meta.url));
const corpus = attackCorpus;
// Namespaces need root (CI runs as root); the corpus lives beside the project.
const unavailable = process.getuid?.() !== 0 ? 'needs root for network namespaces' : corpus ? false : 'shared/corpus/telnet-attacks.yaml not found';

const subnet = (process.pid % 200) + 20;
const HOST_IP = `10.66.${subnet}.1`;
const DEVICE_IP = `10.66.${subnet}.2`;
const NETNS = `hachidev${process.pid}`;
const DEVICE = 'cam-jail';
const DROPPER = '#!/bin/sh\necho stage two\n';
let jailDir = '';
let payloads: PayloadServer;
let hachi: RunningHachi;
let relayPort = 0;

before(async () => {
  if (unavailable) return;
  jailDir = await mkdtemp(join(tmpdir(), 'hachi-jail-'));
  await run('bash', [JAIL, 'create', jailDir, NETNS, HOST_IP, DEVICE_IP]);
  await run('bash', [JAIL, 'start', jailDir, NETNS]);
  payloads = await startPayloadServer({ '/bins.sh': DROPPER });
  hachi = await startHachi([{ name: 'camera', persona: CAMERA.id, loginFailureDelayMs: 0 }], {
    services: [{ name: 'camera', protocol: 'telnet', host: '127.0.0.1', port: 0, persona: CAMERA.id }],
    fetch: { allow: ['127.0.0.1/32'] },
    devices: [
      {
        name: DEVICE,
        product: 'XM IPC (jailed BusyBox)',
        firmware: 'busybox-static',
        address: DEVICE_IP,
        persona: CAMERA.id,
        admitWaitMs: 300,
        health: { intervalMs: 1000, timeoutMs: 500 },
        reset: { command: ['bash', JAIL, 'reset', jailDir, NETNS], timeoutMs: 20_000, settleMs: 3000, drainTimeoutMs: 1000 },
        services: [{ protocol: 'telnet', host: '127.0.0.1', port: 0, devicePort: 23 }],
      },
    ],
  });
  const match = new RegExp(`${DEVICE}:23\\s.*listening on [^\\s]*:(\\d+)`).exec(hachi.output());
  assert.ok(match, hachi.output());
  relayPort = Number(match[1]);
  await waitForDevice();
});

after(async () => {
  if (unavailable) return;
  await hachi?.stop();
  await payloads?.close();
  await run('bash', [JAIL, 'destroy', jailDir, NETNS]).catch(() => undefined);
  await rm(jailDir, { recursive: true, force: true });
});

const fill = (text: string): string => text.replaceAll('{{fetch}}', `127.0.0.1:${payloads.port}`).replaceAll('{{fetch_host}}', '127.0.0.1');

/** The relay admits sessions to the jailed telnetd again (its "(none) login:", not the fallback persona's prompt). */
async function waitForDevice(): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const probe = await TelnetTestClient.connect(relayPort);
    try {
      await probe.waitFor(/\(none\) login: $/, 2000);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      probe.close();
    }
  }
}

/** One credential pair per connection, in the corpus order, as Mirai's scanner does. */
async function loginLikeMirai(): Promise<{ client: TelnetTestClient; tried: [string, string][] }> {
  const tried: [string, string][] = [];
  for (const pair of corpus!.credentials_mirai_style) {
    tried.push(pair);
    const client = await TelnetTestClient.connect(relayPort);
    if (await client.login(pair[0], pair[1])) return { client, tried };
    client.close();
  }
  throw new Error('the device took none of the corpus credentials');
}

const sessionsSeen = new Set<string>();

/** The session of the newest command.input whose line is `line` (relay sessions only). */
async function sessionOf(line: string): Promise<string> {
  const found = await storedEvents(hachi, 'command.input', (e) => e.persona === DEVICE && e.data['line'] === line && !sessionsSeen.has(e.session));
  const session = found.at(-1)!.session;
  sessionsSeen.add(session);
  return session;
}

const normalise = (text: string): string => text.replaceAll('\r', '').trim();

test('the corpus runs through the relay against a jailed BusyBox device', { skip: unavailable }, () => {
  assert.ok(corpus!.scenarios.length >= 5);
});

for (const scenario of corpus?.scenarios ?? []) {
  test(`corpus scenario ${scenario.name} against the real device`, { skip: unavailable }, async () => {
    const { client, tried } = await loginLikeMirai();
    const replies: { line: string; reply: string | null }[] = [];
    try {
      for (const step of scenario.steps) {
        const line = fill(step.send);
        let reply: string | null;
        try {
          reply = await client.run(line, 30_000); // BusyBox tftp gives up after ~13 s
        } catch (error) {
          // The bot killed the device's telnetd: the session really ended here (see the reset test).
          if (!client.isClosed) throw error;
          reply = null;
        }
        replies.push({ line, reply });
        if (reply === null) break;
        if (step.expect) assert.match(reply, new RegExp(step.expect, 'ms'), `device reply to ${JSON.stringify(line)}`);
        if (step.absent) assert.doesNotMatch(reply, new RegExp(step.absent, 'ms'), `device reply to ${JSON.stringify(line)}`);
      }
    } finally {
      client.close();
    }

    // Logins: every pair tried, judged as the device judged it.
    const auth = await storedEvents(hachi, 'auth.attempt', (e) => e.persona === DEVICE, tried.length);
    const last = auth.slice(-tried.length).map((e) => [e.data['username'], e.data['password'], e.data['success']]);
    assert.deepEqual(last, tried.map(([u, p], i) => [u, p, i === tried.length - 1]));

    // Commands and the device's own output, as the attacker saw them.
    const session = await sessionOf(replies[0]!.line);
    const commands = await storedEvents(hachi, 'command.input', (e) => e.session === session, replies.length);
    assert.deepEqual(commands.map((e) => e.data['line']), replies.map((r) => r.line));
    const outputs = await storedEvents(hachi, 'relay.output', (e) => e.session === session, replies.filter((r) => r.reply !== null && normalise(r.reply) !== '').length);
    for (const { line, reply } of replies) {
      if (reply === null || normalise(reply) === '') continue;
      const mine = outputs.filter((e) => e.data['command'] === line);
      const text = mine.map((e) => normalise(String(e.data['text']))).join('\n');
      // Output past the relay's limit is cut (a bot catting a 2 MB binary): what was kept must be what the bot saw.
      const kept = mine.some((e) => e.data['truncated'] === true) ? text.slice(-1024) : normalise(reply);
      assert.ok(normalise(reply).includes(kept) && text.includes(kept), `relay.output of ${JSON.stringify(line)}: ${JSON.stringify(text.slice(0, 300))} lacks ${JSON.stringify(normalise(reply).slice(0, 300))}`);
    }
    const closed = await storedEvents(hachi, 'session.close', (e) => e.session === session, 1);
    // A scenario that kills the device's telnetd really ends the session on the device's side.
    if (replies.at(-1)!.reply === null) assert.equal(closed[0]!.data['reason'], 'device-closed');

    if (scenario.dropped_file) {
      const expected = Buffer.from(scenario.dropped_file.hex, 'hex');
      // Reality: the device wrote these bytes ...
      assert.deepEqual(await readFile(join(jailDir, 'root', scenario.dropped_file.path)), expected);
      // ... and hachi rebuilt the same file from the relayed commands and stored it.
      const sha = createHash('sha256').update(expected).digest('hex');
      await storedEvents(hachi, 'file.write', (e) => e.session === session && e.data['sha256'] === sha, 1);
    }
    for (const url of scenario.expect_downloads ?? []) {
      const fetched = await storedEvents(hachi, 'download.fetch', (e) => e.session === session && e.data['url'] === fill(url), 1);
      assert.equal(fetched[0]!.data['outcome'], 'ok');
      assert.equal(fetched[0]!.data['sha256'], createHash('sha256').update(DROPPER).digest('hex'));
    }
  });
}

test('the reset hook reflashes the device while the relay pauses; a bot that kills telnetd (killall) ends its session as device-closed', { skip: unavailable }, async () => {
  // A reset first: the corpus may have left the device dead (its persistence scenario kills telnetd).
  await resetServingFallback();
  const { client } = await loginLikeMirai();
  assert.match(await client.run('echo before'), /before/);
  client.sendRaw('killall -9 telnetd\r\n');
  for (let waited = 0; !client.isClosed && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(client.isClosed, 'the device closed the session');
  client.close();
  const session = await sessionOf('echo before');
  const closed = await storedEvents(hachi, 'session.close', (e) => e.session === session, 1);
  assert.equal(closed[0]!.data['reason'], 'device-closed');

  await resetServingFallback();
  // The reflashed device is back and clean.
  const { client: again } = await loginLikeMirai();
  assert.match(await again.run('echo alive'), /^alive$/m);
  assert.doesNotMatch(await again.run('ls /tmp'), /dvrHelper/);
  again.close();
  const resets = await storedEvents(hachi, 'device.reset', (e) => e.data['device'] === DEVICE, 2);
  assert.deepEqual(resets.map((e) => [e.data['trigger'], e.data['exitCode']]), [['demand', 0], ['demand', 0]]);
  assert.match(String(resets[0]!.data['detail']), /reflashed/);
});

/** `hachi devices reset` and, while the hook runs, an attacker who is served by the fallback persona. */
async function resetServingFallback(): Promise<void> {
  const before = (await storedEvents(hachi, 'relay.unavailable', (e) => e.persona === DEVICE, 0, 0)).length;
  const pidBefore = await readFile(join(jailDir, 'pid'), 'utf8').catch(() => '');
  const reset = hachi.cli(['devices', 'reset', DEVICE, '--wait', '60']);
  // The hook has reflashed the device when the jail's pid changes; hachi then lets it boot (settleMs).
  const deadline = Date.now() + 20_000;
  while ((await readFile(join(jailDir, 'pid'), 'utf8').catch(() => '')) === pidBefore) {
    if (Date.now() > deadline) {
      const seen = await storedEvents(hachi, 'device.reset', () => true, 0, 0);
      assert.fail(`the reset hook did not run: ${JSON.stringify(seen.map((e) => e.data))} ${hachi.output().slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const meanwhile = await TelnetTestClient.connect(relayPort);
  assert.equal(await meanwhile.login(CAMERA.username, CAMERA.password), true, 'the emulated camera serves while the device resets');
  meanwhile.close();
  const result = await reset;
  assert.equal(result.code, 0, result.stderr + result.stdout);
  const paused = await storedEvents(hachi, 'relay.unavailable', (e) => e.persona === DEVICE, before + 1);
  assert.deepEqual([paused.at(-1)!.data['state'], paused.at(-1)!.data['served']], ['resetting', 'persona']);
  await waitForDevice();
}
