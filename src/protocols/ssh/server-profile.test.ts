// The persona handshake on the wire: identification line and KEXINIT bytes exactly as the persona
// says (no kex-strict, names ssh2 lacks still advertised), HASSH, and the config checks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ssh2 from 'ssh2';
import type { AddressInfo } from 'node:net';
import type { SshPersona } from '../../core/ssh-persona.ts';
import { personaSsh, readServerHello, startPersonaSshServer, type RunningPersonaServer } from '../../testing/persona-ssh-server.ts';
import { hassh, parseKexInit } from './kexinit.ts';
import { profileLists, serverHassh, sshServerOptions } from './server-profile.ts';

const STRICT = 'kex-strict-s-v00@openssh.com';

for (const id of ['xm-ipc-hi3516d', 'rk3308-smart-hub']) {
  describe(`${id}: the server's first bytes`, () => {
    let profile: SshPersona;
    let running: RunningPersonaServer;
    before(async () => {
      profile = await personaSsh(id);
      running = await startPersonaSshServer(profile);
    });
    after(() => running.close());

    test('identification line and every KEXINIT list are the persona data, in order', async () => {
      const hello = await readServerHello(running.port);
      assert.equal(hello.ident, profile.ident);
      const lists = parseKexInit(hello.payload);
      assert.ok(lists);
      assert.deepEqual(lists.kex, profile.kexinit.kex);
      assert.deepEqual(lists.hostKey, profile.kexinit.serverHostKey);
      assert.deepEqual(lists.ciphers, profile.kexinit.ciphers);
      assert.deepEqual(lists.macs, profile.kexinit.macs);
      assert.deepEqual(lists.compression, profile.kexinit.compression);
      assert.ok(!lists.kex.includes(STRICT));
      // first_kex_packet_follows and reserved are zero, as dropbear and OpenSSH send them.
      assert.deepEqual([...hello.payload.subarray(-5)], [0, 0, 0, 0, 0]);
      // The server-to-client lists equal the client-to-server ones (one list per kind in ssh.yaml).
      const whole = hello.payload.subarray(17).toString('latin1');
      assert.equal(whole.split(profile.kexinit.ciphers.join(',')).length - 1, 2);
      assert.equal(whole.split(profile.kexinit.macs.join(',')).length - 1, 2);
      assert.equal(whole.split(profile.kexinit.compression.join(',')).length - 1, 2);
      assert.equal(hassh(lists).hassh, serverHassh(profile).hassh);
    });
  });
}

test('what ssh2 cannot negotiate is advertised only, and the rest keeps its order', async () => {
  const camera = profileLists(await personaSsh('xm-ipc-hi3516d'));
  assert.deepEqual(camera.advertisedOnly, ['kexguess2@matt.ucc.asn.au', '3des-ctr']);
  assert.deepEqual(camera.negotiable.ciphers, ['aes128-ctr', 'aes256-ctr', 'aes128-cbc', 'aes256-cbc', '3des-cbc']);
  const hub = profileLists(await personaSsh('rk3308-smart-hub'));
  assert.deepEqual(hub.advertisedOnly, ['umac-64-etm@openssh.com', 'umac-128-etm@openssh.com', 'umac-64@openssh.com', 'umac-128@openssh.com']);
  assert.deepEqual(hub.negotiable.macs, ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha1-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512', 'hmac-sha1']);
});

test('HASSH server of the camera: MD5 of its kex;ciphers;macs;compression', async () => {
  const { algorithms, hassh: value } = serverHassh(await personaSsh('xm-ipc-hi3516d'));
  assert.equal(
    algorithms,
    'curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp521,ecdh-sha2-nistp384,ecdh-sha2-nistp256,diffie-hellman-group14-sha256,diffie-hellman-group14-sha1,kexguess2@matt.ucc.asn.au;' +
      'aes128-ctr,aes256-ctr,aes128-cbc,aes256-cbc,3des-ctr,3des-cbc;hmac-sha1-96,hmac-sha1,hmac-sha2-256;zlib@openssh.com,none',
  );
  assert.match(value, /^[0-9a-f]{32}$/);
});

test('the patch is still needed: a plain ssh2 Server with the same options adds kex-strict-s-v00', async () => {
  const profile = await personaSsh('xm-ipc-hi3516d');
  const running = await startPersonaSshServer(profile);
  const plain = new ssh2.Server(sshServerOptions(profile, running.hostKeys), (client) => client.on('error', () => undefined));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  try {
    const lists = parseKexInit((await readServerHello((plain.address() as AddressInfo).port)).payload);
    assert.ok(lists);
    assert.equal(lists.kex.at(-1), STRICT, 'ssh2 no longer adds kex-strict-s-v00: ssh2-kexinit-patch.ts may be simplified');
  } finally {
    await new Promise<void>((resolve) => plain.close(() => resolve()));
    await running.close();
  }
});

test('sshServerOptions: ident without the SSH-2.0- prefix, only negotiable names, and a missing host key refused', async () => {
  const profile = await personaSsh('rk3308-smart-hub');
  const running = await startPersonaSshServer(profile);
  try {
    const options = sshServerOptions(profile, running.hostKeys);
    assert.equal(options.ident, 'OpenSSH_7.4p1');
    assert.equal(options.keepaliveInterval, 2 ** 31 - 1, 'no keepalive@openssh.com pings the real server never sends');
    assert.deepEqual(options.algorithms?.serverHostKey, ['ssh-rsa', 'rsa-sha2-512', 'rsa-sha2-256', 'ecdsa-sha2-nistp256', 'ssh-ed25519']);
    assert.ok(!(options.algorithms?.kex as string[]).includes(STRICT));
    assert.throws(() => sshServerOptions(profile, running.hostKeys.slice(0, 1)), /no host key for ecdsa-sha2-nistp256, ssh-ed25519/);
  } finally {
    await running.close();
  }
});

/** An unencrypted client KEXINIT packet (RFC 4253 6: padding to 8 bytes, at least 4). */
function clientKexInit(lists: readonly (readonly string[])[]): Buffer {
  const fields = lists.map((l) => {
    const text = Buffer.from(l.join(','), 'latin1');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(text.length);
    return Buffer.concat([length, text]);
  });
  const payload = Buffer.concat([Buffer.from([20]), Buffer.alloc(16, 7), ...fields, Buffer.alloc(5)]);
  let padding = 8 - ((5 + payload.length) % 8);
  if (padding < 4) padding += 8;
  const head = Buffer.alloc(5);
  head.writeUInt32BE(1 + payload.length + padding);
  head[4] = padding;
  return Buffer.concat([head, payload, Buffer.alloc(padding)]);
}

test('a client offering only names ssh2 only advertises is refused cleanly, and the server keeps serving', async () => {
  const { connect } = await import('node:net');
  const profile = await personaSsh('xm-ipc-hi3516d');
  const running = await startPersonaSshServer(profile);
  try {
    const only = [['kexguess2@matt.ucc.asn.au'], ['ssh-rsa'], ['3des-ctr'], ['3des-ctr'], ['hmac-sha1'], ['hmac-sha1'], ['none'], ['none'], [], []];
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(running.port, '127.0.0.1', () => socket.write(Buffer.concat([Buffer.from('SSH-2.0-bot\r\n'), clientKexInit(only)])));
      const timer = setTimeout(() => { socket.destroy(); resolve(false); }, 5000);
      socket.on('error', () => undefined);
      socket.resume();
      socket.on('close', () => { clearTimeout(timer); resolve(true); });
    });
    assert.ok(closed, 'the server closes the connection');
    assert.equal((await readServerHello(running.port)).ident, profile.ident);
  } finally {
    await running.close();
  }
});
