// FTP reply parser: single and multi-line replies across chunk boundaries, limits, PASV/EPSV, fuzzing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createReplyReader, parseEpsv, parsePasv } from './ftp-reply.ts';
import type { FtpReadResult, FtpReply } from './ftp-reply.ts';

const push = (text: string, reader = createReplyReader()): FtpReadResult => reader.push(Buffer.from(text, 'latin1'));
const replies = (result: FtpReadResult): readonly FtpReply[] => (result.kind === 'replies' ? result.replies : assert.fail(result.reason));

test('single-line replies, CRLF or bare LF, several per chunk', () => {
  assert.deepEqual(replies(push('220 ready\r\n331 Password please\n230\r\n')), [
    { code: 220, lines: ['ready'] },
    { code: 331, lines: ['Password please'] },
    { code: 230, lines: [''] },
  ]);
});

test('a multi-line reply ends at the same code followed by a space, whatever lines come between', () => {
  const text = '220-Welcome\r\n  indented\r\n221 other code\r\n220-still going\r\n220 done\r\n';
  assert.deepEqual(replies(push(text)), [{ code: 220, lines: ['Welcome', '  indented', '221 other code', '220-still going', 'done'] }]);
});

test('replies split at every byte boundary come out the same', () => {
  const text = '220-a\r\n b\r\n220 c\r\n200 ok\r\n';
  for (let cut = 0; cut <= text.length; cut++) {
    const reader = createReplyReader();
    const got = [...replies(push(text.slice(0, cut), reader)), ...replies(push(text.slice(cut), reader))];
    assert.deepEqual(got, [{ code: 220, lines: ['a', ' b', 'c'] }, { code: 200, lines: ['ok'] }], `cut at ${cut}`);
  }
});

test('lines and replies are bounded; after malformed the reader stays malformed', () => {
  const limits = { maxLineBytes: 16, maxReplyBytes: 40 };
  const long = push(`220 ${'x'.repeat(20)}\r\n`, createReplyReader(limits));
  assert.deepEqual(long, { kind: 'malformed', reason: 'line longer than 16 bytes' });
  const unterminated = createReplyReader(limits);
  assert.equal(push('220 ', unterminated).kind, 'replies');
  assert.equal(push('x'.repeat(20), unterminated).kind, 'malformed');
  assert.equal(push('\r\n200 ok\r\n', unterminated).kind, 'malformed');
  const huge = push('220-start\r\n' + ' line\r\n'.repeat(10), createReplyReader(limits));
  assert.deepEqual(huge, { kind: 'malformed', reason: 'reply longer than 40 bytes' });
});

test('text that is not a reply is malformed', () => {
  for (const text of ['HELLO\r\n', '600 no\r\n', '22 short\r\n', '220x\r\n', '\r\n']) assert.equal(push(text).kind, 'malformed', JSON.stringify(text));
});

test('PASV: six numbers with or without parentheses; out-of-range values refused', () => {
  assert.deepEqual(parsePasv({ code: 227, lines: ['Entering Passive Mode (10,0,0,5,195,80).'] }), { host: '10.0.0.5', port: 195 * 256 + 80 });
  assert.deepEqual(parsePasv({ code: 227, lines: ['=127,0,0,1,4,1'] }), { host: '127.0.0.1', port: 1025 });
  assert.equal(parsePasv({ code: 227, lines: ['(1,2,3,4,256,1)'] }), null);
  assert.equal(parsePasv({ code: 227, lines: ['(1,2,3,4,0,0)'] }), null);
  assert.equal(parsePasv({ code: 227, lines: ['no numbers'] }), null);
  assert.equal(parsePasv({ code: 200, lines: ['(1,2,3,4,5,6)'] }), null);
});

test('EPSV: (|||port|) with any delimiter, ports 1..65535', () => {
  assert.equal(parseEpsv({ code: 229, lines: ['Entering Extended Passive Mode (|||6446|)'] }), 6446);
  assert.equal(parseEpsv({ code: 229, lines: ['(!!!21!)'] }), 21);
  assert.equal(parseEpsv({ code: 229, lines: ['(|||70000|)'] }), null);
  assert.equal(parseEpsv({ code: 229, lines: ['(|||0|)'] }), null);
  assert.equal(parseEpsv({ code: 229, lines: ['(||1|)'] }), null);
  assert.equal(parseEpsv({ code: 227, lines: ['(|||6446|)'] }), null);
});

test('property: random bytes in random chunks never throw, and memory stays bounded', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
      const reader = createReplyReader({ maxLineBytes: 64, maxReplyBytes: 256 });
      for (const chunk of chunks) {
        const result = reader.push(chunk);
        if (result.kind === 'replies') for (const reply of result.replies) assert.ok(reply.lines.join('').length <= 256);
      }
    }),
    { numRuns: 1000 },
  );
  // Mostly reply-shaped input reaches the multi-line paths too.
  const line = fc.tuple(fc.constantFrom('220', '230', '220-', '331 ', 'xx'), fc.string({ maxLength: 20 }), fc.constantFrom('\r\n', '\n', ''));
  fc.assert(
    fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
      const reader = createReplyReader({ maxLineBytes: 32, maxReplyBytes: 128 });
      reader.push(Buffer.from(lines.map((parts) => parts.join('')).join(''), 'latin1'));
    }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 100, max: 599 }), fc.string({ maxLength: 80 }), (code, text) => {
      parsePasv({ code, lines: [text] });
      parseEpsv({ code, lines: [text] });
    }),
  );
});
