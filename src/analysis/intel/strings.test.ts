// Tests for ASCII/UTF-16 string extraction: offsets, minimum length, caps, and hostile random input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { extractStrings } from './strings.ts';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

test('ASCII runs of at least four printable characters, with offsets', () => {
  const { strings } = extractStrings(bytes([0, 1], 'abc', [0], '/bin/busybox', [0xff], 'x\ty z'));
  assert.deepEqual(strings, [
    { offset: 6, text: '/bin/busybox', encoding: 'ascii' },
    { offset: 19, text: 'x\ty z', encoding: 'ascii' },
  ]);
});

test('UTF-16LE and UTF-16BE strings at either alignment', () => {
  const le = Buffer.from('GETLOCALIP', 'utf16le');
  const be = Buffer.from(Buffer.from('cnc.example.net', 'utf16le').swap16());
  const { strings } = extractStrings(bytes([0xff], [...le], [0xff, 0xff, 0xff], [...be]));
  assert.deepEqual(strings, [
    { offset: 1, text: 'GETLOCALIP', encoding: 'utf16le' },
    { offset: 24, text: 'cnc.example.net', encoding: 'utf16be' },
  ]);
});

test('minLength, maxStringLength, maxStrings and maxTotalChars are honoured', () => {
  const sample = bytes('ab', [0], 'abcdef', [0], 'x'.repeat(100), [0], 'qwerty', [0]);
  assert.deepEqual(extractStrings(sample, { minLength: 2 }).strings.map((s) => s.text.length), [2, 6, 100, 6]);
  const cut = extractStrings(sample, { maxStringLength: 10 });
  assert.equal(cut.strings[1]?.text, 'x'.repeat(10));
  assert.equal(cut.truncated, false);
  const few = extractStrings(sample, { maxStrings: 1 });
  assert.equal(few.strings.length, 1);
  assert.equal(few.truncated, true);
  const budget = extractStrings(sample, { maxTotalChars: 50 });
  assert.deepEqual(budget.strings.map((s) => s.text), ['abcdef']);
  assert.equal(budget.truncated, true);
});

test('random bytes never throw and results stay within caps and in range', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 4096 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 50 }), (data, minLength, maxStrings) => {
      const result = extractStrings(data, { minLength, maxStrings, maxStringLength: 64, maxTotalChars: 2000 });
      assert.ok(result.strings.length <= maxStrings);
      assert.ok(result.strings.reduce((n, s) => n + s.text.length, 0) <= 2000);
      for (const s of result.strings) {
        assert.ok(s.text.length >= minLength && s.text.length <= 64);
        assert.ok(s.offset >= 0 && s.offset < data.length);
      }
    }),
    { numRuns: 200 },
  );
});
