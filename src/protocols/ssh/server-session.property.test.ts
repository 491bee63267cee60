// Property tests of the emulated sshd: garbage, truncated handshakes and random packets after a
// real KEXINIT never crash it, and every connection ends with exactly one session.close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createDuplexPair } from '../../testing/duplex-pair.ts';
import { FakeDownloads } from '../../testing/fake-downloads.ts';
import { RecordingEmitter } from '../../testing/recording-emitter.ts';
import { StatusShells, testHostKey } from '../../testing/ssh-server-harness.ts';
import { busyboxPersona } from '../../testing/telnet-harness.ts';
import { defaultSshLimits, handleSsh } from './server-session.ts';

const hostKey = testHostKey();
const persona = busyboxPersona();
const IDENT = Buffer.from('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n');

function nameList(names: readonly string[]): Buffer {
  const text = Buffer.from(names.join(','), 'latin1');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(text.length);
  return Buffer.concat([length, text]);
}

/** A well-formed client KEXINIT packet (unencrypted, as the first packet is). */
function kexInitPacket(): Buffer {
  const lists = [['curve25519-sha256'], ['ssh-ed25519'], ['aes128-ctr'], ['aes128-ctr'], ['hmac-sha2-256'], ['hmac-sha2-256'], ['none'], ['none'], [], []];
  const payload = Buffer.concat([Buffer.from([20]), Buffer.alloc(16, 7), ...lists.map(nameList), Buffer.from([0, 0, 0, 0, 0])]);
  return packet(payload);
}

function packet(payload: Buffer): Buffer {
  let padding = 8 - ((5 + payload.length) % 8);
  if (padding < 4) padding += 8;
  const head = Buffer.alloc(5);
  head.writeUInt32BE(1 + payload.length + padding);
  head[4] = padding;
  return Buffer.concat([head, payload, Buffer.alloc(padding)]);
}

async function serve(input: readonly Buffer[], endInput: boolean): Promise<RecordingEmitter> {
  const { server, client } = createDuplexPair();
  client.on('data', () => undefined);
  client.on('error', () => undefined);
  const events = new RecordingEmitter();
  const done = handleSsh(server, {
    persona,
    events,
    shells: new StatusShells(),
    auth: () => false,
    capture: events,
    downloads: new FakeDownloads(),
    hostKeys: [hostKey],
    recording: null,
    clock: { now: () => Date.now() },
    // A half-open handshake ends by the idle timer.
    limits: { ...defaultSshLimits, idleTimeoutMs: 300 },
    authFailureDelayMs: 0,
  });
  for (const chunk of input) client.write(chunk);
  if (endInput) client.end();
  const timeout = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 5000).unref());
  assert.notEqual(await Promise.race([done, timeout]), 'hung', 'the session did not end');
  return events;
}

const bytes = (max: number): fc.Arbitrary<Buffer> => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b));

const inputs = fc.oneof(
  bytes(2000).map((b) => [b]),
  bytes(2000).map((b) => [IDENT, b]),
  fc.integer({ min: 0, max: 400 }).map((cut) => [IDENT, kexInitPacket().subarray(0, cut)]),
  fc.array(bytes(300), { maxLength: 4 }).map((packets) => [IDENT, kexInitPacket(), ...packets.map((p) => packet(p))]),
  fc.integer({ min: 0, max: 0xffffffff }).map((length) => {
    const head = Buffer.alloc(5);
    head.writeUInt32BE(length);
    return [IDENT, head, Buffer.alloc(64, 0x41)];
  }),
);

test('garbage and truncated packets end the session cleanly with one session.close', async () => {
  await fc.assert(
    fc.asyncProperty(inputs, fc.boolean(), async (input, endInput) => {
      const events = await serve(input, endInput);
      const closes = events.ofType('session.close');
      assert.equal(closes.length, 1);
      assert.equal(events.ofType('session.connect').length, 1);
      assert.equal(events.ofType('auth.attempt').length, 0);
    }),
    { numRuns: 60 },
  );
});

test('a real client KEXINIT is fingerprinted before the handshake fails', async () => {
  const events = await serve([IDENT, kexInitPacket()], true);
  const client = events.ofType('ssh.client')[0];
  assert.ok(client);
  assert.equal(client.ident, 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3');
  assert.match(client.hassh, /^[0-9a-f]{32}$/);
  assert.equal(client.hasshAlgorithms, 'curve25519-sha256;aes128-ctr;hmac-sha2-256;none');
});
