// The SSH relay against an in-memory device: limits (logins, channels, input bytes, idle), garbage
// instead of SSH, the device closing or failing mid-session, and the pinned device host key.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from 'ssh2';
import ssh2 from 'ssh2';
import { hostKeyFingerprint } from './ssh-device.ts';
import { attackerLogin, createFakeDevice, relayLimits, startRelay, type FakeDevice } from '../testing/ssh-relay-harness.ts';

let device: FakeDevice;
before(async () => (device = await createFakeDevice()));
after(() => device.close());

const exec = (client: Client, command: string): Promise<string> =>
  new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(error);
      let out = '';
      channel.on('data', (chunk: Buffer) => (out += chunk.toString()));
      channel.on('close', () => resolve(out));
    });
  });

const closeReason = (events: { ofType: (t: 'session.close') => { reason: string }[] }): string | undefined => events.ofType('session.close')[0]?.reason;

test('exec through the relay, then the attacker leaves', async () => {
  const relay = await startRelay(device);
  const client = await attackerLogin(relay.socket);
  assert.equal(await exec(client, 'uname -a'), 'ran uname -a\n');
  client.end();
  await relay.done;
  assert.equal(closeReason(relay.events), 'client-closed');
  assert.equal(relay.events.ofType('relay.open').length, 1);
  assert.deepEqual(relay.events.ofType('relay.device-error'), []);
});

test('too many login attempts: session.limit and a clean close', async () => {
  const relay = await startRelay(device);
  await assert.rejects(attackerLogin(relay.socket, ['a', 'b', 'c', 'd', 'e']));
  await relay.done;
  assert.deepEqual(relay.events.ofType('session.limit').map((l) => [l.limit, l.max]), [['login-attempts', relayLimits.maxAuthAttempts]]);
  assert.equal(relay.events.ofType('auth.attempt').length, relayLimits.maxAuthAttempts);
  assert.equal(closeReason(relay.events), 'login-failed');
});

test('too many channels on one connection: session.limit, connection closed', async () => {
  const relay = await startRelay(device, { limits: { ...relayLimits, maxChannels: 1 } });
  const client = await attackerLogin(relay.socket);
  client.on('error', () => undefined);
  assert.equal(await exec(client, 'id'), 'ran id\n');
  await assert.rejects(exec(client, 'id'));
  await relay.done;
  assert.deepEqual(relay.events.ofType('session.limit').map((l) => l.limit), ['channels']);
  assert.equal(closeReason(relay.events), 'limit');
});

test('more input than allowed: session.limit input-bytes', async () => {
  const relay = await startRelay(device, { limits: { ...relayLimits, maxInputBytes: 64 * 1024 } });
  const client = await attackerLogin(relay.socket);
  client.on('error', () => undefined);
  client.shell((error, channel) => {
    if (error) return;
    channel.on('error', () => undefined);
    for (let i = 0; i < 40; i++) channel.write(Buffer.alloc(4096, 0x41));
  });
  await relay.done;
  assert.deepEqual(relay.events.ofType('session.limit').map((l) => l.limit), ['input-bytes']);
  assert.equal(closeReason(relay.events), 'limit');
});

test('an attacker that says nothing is closed after the idle timeout', async () => {
  const relay = await startRelay(device, { limits: { ...relayLimits, idleTimeoutMs: 800 } });
  const client = await attackerLogin(relay.socket);
  client.on('error', () => undefined);
  await relay.done;
  assert.equal(closeReason(relay.events), 'idle-timeout');
});

test('garbage instead of an SSH identification: closed cleanly, no device login', async () => {
  for (const garbage of [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), Buffer.alloc(300_000, 0xff), Buffer.from('SSH-2.0-x\r\n\0\0\0\x05\x14garbage packet')]) {
    const relay = await startRelay(device);
    relay.socket.write(garbage);
    relay.socket.resume();
    let gaveUp = false;
    const timer = setTimeout(() => {
      gaveUp = true;
      relay.socket.destroy();
    }, 3000);
    await Promise.all([relay.done, new Promise((resolve) => relay.socket.once('close', resolve))]);
    clearTimeout(timer);
    assert.equal(gaveUp, false, 'the relay let the attacker go');
    assert.equal(relay.events.ofType('relay.open').length, 0);
    assert.equal(relay.events.ofType('session.close').length, 1);
  }
});

test('the device closing mid-session ends it with device-closed and no error', async () => {
  const relay = await startRelay(device);
  const client = await attackerLogin(relay.socket);
  client.on('error', () => undefined);
  device.connections.at(-1)?.end();
  await relay.done;
  assert.equal(closeReason(relay.events), 'device-closed');
  assert.deepEqual(relay.events.ofType('relay.device-error'), []);
});

test('the device connection reset mid-session: relay.device-error at stage transfer', async () => {
  const relay = await startRelay(device);
  const client = await attackerLogin(relay.socket);
  client.on('error', () => undefined);
  device.sockets.at(-1)?.resetAndDestroy();
  await relay.done;
  assert.equal(closeReason(relay.events), 'device-closed');
  assert.deepEqual(relay.events.ofType('relay.device-error').map((e) => [e.stage, e.code]), [['transfer', 'ECONNRESET']]);
});

test('a pinned device host key: the right one logs in, another is refused as HOSTKEY_MISMATCH', async () => {
  const parsed = ssh2.utils.parseKey(device.hostKey);
  assert.ok(!(parsed instanceof Error));
  const right = hostKeyFingerprint(parsed.getPublicSSH());
  const seen: string[] = [];
  const good = await startRelay(device, { login: { username: 'root', password: 'dev', timeoutMs: 5000, hostKeys: [right], sawHostKey: (f) => seen.push(f) } });
  const client = await attackerLogin(good.socket);
  assert.equal(await exec(client, 'true'), 'ran true\n');
  client.end();
  await good.done;
  assert.deepEqual(seen, [right]);

  const wrong = `SHA256:${'A'.repeat(43)}`;
  const bad = await startRelay(device, { login: { username: 'root', password: 'dev', timeoutMs: 5000, hostKeys: [wrong] } });
  await assert.rejects(attackerLogin(bad.socket));
  await bad.done;
  const errors = bad.events.ofType('relay.device-error');
  assert.deepEqual(errors.map((e) => [e.stage, e.code]), [['connect', 'HOSTKEY_MISMATCH']]);
  assert.match(errors[0]!.message, new RegExp(right.replace(/[+/]/g, '\\$&')));
  assert.equal(closeReason(bad.events), 'device-unreachable');
});
