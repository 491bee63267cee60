// The DNS question parser: golden packets, hostile names (loops, overlong, escapes) and a fuzz run
// that only asks it to be total and bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeDnsQuery } from '../testing/dns-query.ts';
import { parseDnsQuestion } from './dns-question.ts';

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

test('a query for an A record, as dig sends it', () => {
  // id 0x1234, RD, one question: cnc.example.com A IN
  const packet = hex('1234 0100 0001 0000 0000 0000 03636e63 076578616d706c65 03636f6d 00 0001 0001');
  assert.deepEqual(parseDnsQuestion(packet), { id: 0x1234, name: 'cnc.example.com', type: 1, class: 1 });
});

test('names are lowercased and odd bytes escaped, so they print and compare safely', () => {
  const packet = hex('0001 0000 0001 0000 0000 0000 04 4d2e0a22 03 636f6d 00 001c 0001');
  assert.deepEqual(parseDnsQuestion(packet), { id: 1, name: 'm\\046\\010\\034.com', type: 28, class: 1 });
  assert.equal(parseDnsQuestion(encodeDnsQuery(7, 'CnC.Botnet.EXAMPLE'))?.name, 'cnc.botnet.example');
  assert.equal(parseDnsQuestion(hex('0001 0000 0001 0000 0000 0000 00 0002 0001'))?.name, '.');
});

test('a backwards compression pointer is followed; loops and forward pointers are refused', () => {
  // question name "www" + pointer to offset 12 would be itself: refuse. Pointer back into a name before it is fine.
  assert.equal(parseDnsQuestion(hex('0001 0000 0001 0000 0000 0000 c00c 0001 0001')), null);
  assert.equal(parseDnsQuestion(hex('0001 0000 0001 0000 0000 0000 c010 0001 0001 00')), null);
  const back = hex('0001 0000 0001 0000 0000 0000 03777777 c006 0001 0001');
  // offset 6 holds 00 00 ...: the root, so the name is "www".
  assert.deepEqual(parseDnsQuestion(back), { id: 1, name: 'www', type: 1, class: 1 });
});

test('answers, other opcodes, empty or cut packets and overlong names are not queries', () => {
  const query = encodeDnsQuery(9, 'a.example');
  const answer = Uint8Array.from(query);
  answer[2] = 0x81;
  assert.equal(parseDnsQuestion(answer), null);
  const notify = Uint8Array.from(query);
  notify[2] = 0x20; // opcode 4
  assert.equal(parseDnsQuestion(notify), null);
  const none = Uint8Array.from(query);
  none[5] = 0;
  assert.equal(parseDnsQuestion(none), null);
  for (let cut = 0; cut < query.length; cut++) assert.equal(parseDnsQuestion(query.subarray(0, cut)), null, `cut at ${cut}`);
  assert.equal(parseDnsQuestion(hex('0001 0000 0001 0000 0000 0000 40 00 0001 0001')), null, 'label type 0x40');
  const long = encodeDnsQuery(1, Array.from({ length: 5 }, () => 'a'.repeat(63)).join('.'));
  assert.equal(parseDnsQuestion(long), null, 'more than 255 bytes');
  const longest = encodeDnsQuery(1, [...Array.from({ length: 3 }, () => 'a'.repeat(63)), 'b'.repeat(61)].join('.'));
  assert.equal(parseDnsQuestion(longest)?.name.length, 253);
});

test('fuzz: any bytes give null or a bounded, printable question, and never throw', () => {
  const printable = /^[a-z0-9_\-.\\]*$/;
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 600 }), fc.tuple(fc.uint8Array({ minLength: 12, maxLength: 12 }), fc.uint8Array({ maxLength: 300 })).map(([h, b]) => {
      const head = Uint8Array.from(h);
      head[2] = (head[2] ?? 0) & 0x07; // a query header most of the time, so the name reader is exercised
      head[4] = 0;
      head[5] = 1;
      return new Uint8Array([...head, ...b]);
    })), (bytes) => {
      const q = parseDnsQuestion(bytes);
      if (q === null) return;
      assert.match(q.name, printable);
      assert.ok(q.name.length <= 255 * 4);
      assert.ok(q.type >= 0 && q.type <= 0xffff);
    }),
    { numRuns: 3000 },
  );
  fc.assert(
    fc.property(fc.array(fc.stringMatching(/^[a-z0-9-]{1,20}$/), { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 0xffff }), (labels, id) => {
      assert.deepEqual(parseDnsQuestion(encodeDnsQuery(id, labels.join('.'))), { id, name: labels.join('.'), type: 1, class: 1 });
    }),
  );
});
