// Checks the one-pass string scanner against a plain reference (one scan per encoding and alignment,
// as `strings` works), on inputs dense in ASCII and UTF-16 runs, with every cap in play.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { extractStrings, type ExtractedString, type StringEncoding } from './strings.ts';

const printable = (b: number | undefined): boolean => b !== undefined && ((b >= 0x20 && b <= 0x7e) || b === 0x09);

function reference(bytes: Uint8Array, minLength: number, maxLength: number, maxStrings: number, maxChars: number): ExtractedString[] {
  const found: [ExtractedString[], ExtractedString[], ExtractedString[]] = [[], [], []];
  let strings = maxStrings;
  let chars = maxChars;
  let full = false;
  const take = (list: ExtractedString[], offset: number, text: string, encoding: StringEncoding): void => {
    if (full || strings <= 0 || chars < text.length) {
      full = true;
      return;
    }
    strings--;
    chars -= text.length;
    list.push({ offset, text, encoding });
  };
  for (let i = 0; i < bytes.length; ) {
    let end = i;
    while (printable(bytes[end])) end++;
    if (end - i >= minLength) take(found[0], i, Buffer.from(bytes.subarray(i, i + Math.min(end - i, maxLength))).toString('latin1'), 'ascii');
    i = Math.max(end, i + 1);
  }
  // little-endian at offsets 0 and 1, then big-endian at 0 and 1
  for (const [lo, first] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
    const char = (i: number): boolean => i + 1 < bytes.length && bytes[i + 1 - lo] === 0 && printable(bytes[i + lo]);
    for (let i: number = first; i + 1 < bytes.length; ) {
      let end = i;
      let text = '';
      while (char(end)) {
        if (text.length < maxLength) text += String.fromCharCode(bytes[end + lo]!);
        end += 2;
      }
      if ((end - i) / 2 >= minLength) take(found[1 + lo]!, i, text, lo === 0 ? 'utf16le' : 'utf16be');
      i = Math.max(end, i + 2);
    }
  }
  // of two readings of one UTF-16 run, one byte apart, the longer (little-endian on a tie)
  const [ascii, le, be] = found;
  const dropped = new Set<ExtractedString>();
  for (const b of be) {
    const l = [le.find((s) => s.offset === b.offset - 1), le.find((s) => s.offset === b.offset + 1)].find((s) => s && !dropped.has(s));
    if (l) dropped.add(b.text.length > l.text.length ? l : b);
  }
  return [...ascii, ...[...le, ...be].filter((s) => !dropped.has(s))].sort((a, b) => a.offset - b.offset);
}

const piece = fc.oneof(
  fc.array(fc.constantFrom(0, 0, 0x09, 0x41, 0x2e, 0x20, 0x7e, 0x7f, 0xff, 0x01), { maxLength: 24 }),
  fc.string({ maxLength: 12 }).map((s) => [...Buffer.from(s, 'latin1')]),
  fc.string({ maxLength: 12 }).map((s) => [...Buffer.from(s, 'utf16le')]),
  fc.string({ maxLength: 12 }).map((s) => [...Buffer.from(s, 'utf16le').swap16()]),
);
const sample = fc.array(piece, { maxLength: 24 }).map((parts) => Uint8Array.from(parts.flat()));

test('the same strings as one scan per encoding and alignment, caps included', () => {
  const limits = fc.record({
    minLength: fc.integer({ min: 1, max: 8 }),
    maxStringLength: fc.integer({ min: 1, max: 30 }),
    maxStrings: fc.integer({ min: 0, max: 30 }),
    maxTotalChars: fc.integer({ min: 0, max: 300 }),
  });
  fc.assert(
    fc.property(sample, limits, (bytes, lim) => {
      const expected = reference(bytes, lim.minLength, lim.maxStringLength, lim.maxStrings, lim.maxTotalChars);
      assert.deepEqual(extractStrings(bytes, lim).strings, expected);
    }),
    { numRuns: 1000 },
  );
});
