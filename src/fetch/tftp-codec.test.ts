// TFTP codec: packets round-trip, hostile bytes decode to 'malformed' and never throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodePacket, encodeAck, encodeData, encodeError, encodeOack, encodeRequest, TFTP_MAX_PACKET } from './tftp-codec.ts';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

test('an RRQ is opcode 1, file, NUL, mode, NUL, then option pairs', () => {
  const packet = encodeRequest('rrq', 'bins/mips', 'octet', new Map([['blksize', '1024']]));
  assert.deepEqual(Buffer.from(packet ?? []).toString('latin1'), '\x00\x01bins/mips\x00octet\x00blksize\x001024\x00');
  assert.deepEqual(decodePacket(packet ?? bytes()), { kind: 'rrq', file: 'bins/mips', mode: 'octet', options: new Map([['blksize', '1024']]) });
});

test('requests that would smuggle fields or overflow are refused, not encoded', () => {
  assert.equal(encodeRequest('rrq', 'a\0blksize\x0065464', 'octet'), null);
  assert.equal(encodeRequest('rrq', '', 'octet'), null);
  assert.equal(encodeRequest('rrq', 'x'.repeat(600), 'octet'), null);
  assert.equal(encodeRequest('wrq', 'f', 'octet', new Map([['tsize', '']])), null);
});

test('DATA, ACK, ERROR and OACK round-trip', () => {
  assert.deepEqual(decodePacket(encodeData(65535, bytes(1, 2, 3))), { kind: 'data', block: 65535, data: bytes(1, 2, 3) });
  assert.deepEqual(decodePacket(encodeData(7, bytes())), { kind: 'data', block: 7, data: bytes() });
  assert.deepEqual(decodePacket(encodeAck(0)), { kind: 'ack', block: 0 });
  assert.deepEqual(decodePacket(encodeError(1, 'File not found')), { kind: 'error', code: 1, message: 'File not found' });
  assert.deepEqual(decodePacket(encodeOack(new Map([['tsize', '99']]))), { kind: 'oack', options: new Map([['tsize', '99']]) });
});

test('option names are case-insensitive', () => {
  const packet = decodePacket(Buffer.from('\x00\x06BLKSIZE\x00512\x00', 'latin1'));
  assert.deepEqual(packet, { kind: 'oack', options: new Map([['blksize', '512']]) });
});

test('an ERROR without its final NUL still gives its message; a NUL-free message is kept whole', () => {
  assert.deepEqual(decodePacket(Buffer.from('\x00\x05\x00\x02denied', 'latin1')), { kind: 'error', code: 2, message: 'denied' });
  assert.deepEqual(decodePacket(bytes(0, 5, 0, 0)), { kind: 'error', code: 0, message: '' });
});

test('malformed packets say why', () => {
  const cases: [Uint8Array, RegExp][] = [
    [bytes(), /shorter/],
    [bytes(0), /shorter/],
    [bytes(0, 3, 1), /block/],
    [bytes(0, 4, 0, 1, 9), /ACK of 5/],
    [bytes(0, 5, 1), /code/],
    [bytes(0, 9, 0, 0), /opcode 9/],
    [bytes(0, 1, 0x41, 0), /file name and mode/],
    [bytes(0, 1, 0x41, 0, 0x42), /file name and mode/],
    [bytes(0, 1, 0x41, 0, 0x42, 0, 0x43, 0), /option without a value/],
    [bytes(0, 6, 0x41, 0), /name\/value/],
    [bytes(0, 6, 0x41), /name\/value/],
    [new Uint8Array(TFTP_MAX_PACKET + 1).fill(3, 1, 2), /larger than any/],
  ];
  for (const [input, reason] of cases) {
    const packet = decodePacket(input);
    assert.equal(packet.kind, 'malformed', String(input.slice(0, 8)));
    if (packet.kind === 'malformed') assert.match(packet.reason, reason);
  }
});

test('invalid UTF-8 in names and messages decodes without throwing', () => {
  const packet = decodePacket(bytes(0, 5, 0, 1, 0xff, 0xfe, 0xc0, 0));
  assert.equal(packet.kind, 'error');
});

test('property: decoding random bytes never throws and always gives a known kind', () => {
  const kinds = new Set(['rrq', 'wrq', 'data', 'ack', 'error', 'oack', 'malformed']);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 700 }), (input) => kinds.has(decodePacket(input).kind)),
    { numRuns: 2000 },
  );
  // Valid opcodes with random tails reach every decoder branch.
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 7 }), fc.uint8Array({ maxLength: 64 }), (opcode, tail) => kinds.has(decodePacket(Uint8Array.of(0, opcode, ...tail)).kind)),
    { numRuns: 2000 },
  );
});

test('property: DATA and requests round-trip', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 65535 }), fc.uint8Array({ maxLength: 1024 }), (block, data) => {
      assert.deepEqual(decodePacket(encodeData(block, data)), { kind: 'data', block, data });
    }),
  );
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 100 }), (file) => {
      const packet = encodeRequest('rrq', file);
      if (file.includes('\0')) return packet === null;
      return packet !== null && decodePacket(packet).kind === 'rrq';
    }),
  );
});
