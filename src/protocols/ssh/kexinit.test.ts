// The client hello reader: identification and KEXINIT lists from any chunking, HASSH, and garbage
// that never throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { createClientHelloReader, hassh, parseKexInit } from './kexinit.ts';

function nameList(names: readonly string[]): Buffer {
  const text = Buffer.from(names.join(','), 'latin1');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(text.length);
  return Buffer.concat([length, text]);
}

/** A KEXINIT packet as a client sends it (unencrypted, no MAC). */
function kexInitPacket(lists: { kex: string[]; ciphers: string[]; macs: string[]; compression: string[] }, paddingLength = 7): Buffer {
  const payload = Buffer.concat([
    Buffer.from([20]),
    Buffer.alloc(16, 0xab),
    nameList(lists.kex),
    nameList(['ssh-ed25519', 'rsa-sha2-512']),
    nameList(lists.ciphers),
    nameList(lists.ciphers),
    nameList(lists.macs),
    nameList(lists.macs),
    nameList(lists.compression),
    nameList(lists.compression),
    nameList([]),
    nameList([]),
    Buffer.from([0, 0, 0, 0, 0]),
  ]);
  const header = Buffer.alloc(5);
  header.writeUInt32BE(payload.length + paddingLength + 1);
  header[4] = paddingLength;
  return Buffer.concat([header, payload, Buffer.alloc(paddingLength)]);
}

const lists = {
  kex: ['curve25519-sha256', 'ext-info-c', 'kex-strict-c-v00@openssh.com'],
  ciphers: ['chacha20-poly1305@openssh.com', 'aes128-ctr'],
  macs: ['umac-64-etm@openssh.com', 'hmac-sha2-256'],
  compression: ['none', 'zlib@openssh.com'],
};
const hello = Buffer.concat([Buffer.from('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n'), kexInitPacket(lists)]);

test('reads the identification and the client-to-server lists, whatever the chunking', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: hello.length - 1 }), { maxLength: 6 }), (cuts) => {
      const reader = createClientHelloReader();
      const points = [...new Set(cuts)].sort((a, b) => a - b);
      let last = 0;
      let result = reader.push(new Uint8Array(0));
      for (const point of [...points, hello.length]) {
        result = reader.push(hello.subarray(last, point));
        last = point;
      }
      assert.equal(result.kind, 'done');
      if (result.kind !== 'done') return;
      assert.equal(result.hello.ident, 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3');
      assert.deepEqual(result.hello.kex, lists.kex);
      assert.deepEqual(result.hello.ciphers, lists.ciphers);
      assert.deepEqual(result.hello.macs, lists.macs);
      assert.deepEqual(result.hello.compression, lists.compression);
    }),
  );
});

test('HASSH is the MD5 of kex;ciphers;macs;compression', () => {
  const expected = 'curve25519-sha256,ext-info-c,kex-strict-c-v00@openssh.com;chacha20-poly1305@openssh.com,aes128-ctr;umac-64-etm@openssh.com,hmac-sha2-256;none,zlib@openssh.com';
  const parsed = parseKexInit(kexInitPacket(lists).subarray(5, -7));
  assert.ok(parsed);
  const result = hassh(parsed);
  assert.equal(result.algorithms, expected);
  assert.equal(result.hassh, createHash('md5').update(expected).digest('hex'));
  assert.match(result.hassh, /^[0-9a-f]{32}$/);
});

test('not SSH, an endless line or a wrong first packet is invalid, and stays so', () => {
  assert.equal(createClientHelloReader().push(Buffer.from('GET / HTTP/1.1\r\n'.repeat(9))).kind, 'invalid');
  assert.equal(createClientHelloReader().push(Buffer.alloc(300, 0x41)).kind, 'invalid');
  const reader = createClientHelloReader();
  assert.equal(reader.push(Buffer.from('SSH-2.0-x\r\n\xff\xff\xff\xff\x00', 'latin1')).kind, 'invalid');
  assert.equal(reader.push(hello).kind, 'invalid');
  const notKex = kexInitPacket(lists);
  notKex[5] = 21;
  assert.equal(createClientHelloReader().push(Buffer.concat([Buffer.from('SSH-2.0-x\n'), notKex])).kind, 'invalid');
});

test('arbitrary bytes never throw', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 5 }), fc.boolean(), (chunks, prefix) => {
      const reader = createClientHelloReader();
      if (prefix) reader.push(Buffer.from('SSH-2.0-bot\r\n'));
      for (const chunk of chunks) reader.push(chunk);
    }),
    { numRuns: 300 },
  );
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => void parseKexInit(bytes)), { numRuns: 300 });
});
