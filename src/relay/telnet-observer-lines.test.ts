// The attacker's line discipline in the Telnet observer: line ends, editing keys, escapes, the limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClientLines } from './telnet-observer-lines.ts';
import type { ClientEvent } from './telnet-observer-lines.ts';

const feed = (text: string, max = 64): (string | null)[] => {
  const lines = createClientLines(max);
  const out: ClientEvent[] = [];
  lines.push(new Uint8Array(Buffer.from(text, 'latin1')), out);
  return out.map((e) => (e.kind === 'start' ? null : Buffer.from(e.bytes).toString('latin1') + (e.cut ? '…' : '')));
};

test('CR LF, CR NUL, bare LF and bare CR each end one line', () => {
  assert.deepEqual(feed('a\r\nb\r\x00c\nd\re'), [null, 'a', null, 'b', null, 'c', null, 'd', null]);
});

test('a start marks the first byte of each line, an empty line included', () => {
  assert.deepEqual(feed('\r\n\r\n'), [null, '', null, '']);
});

test('DEL and BS erase one character (a whole UTF-8 one), ^U kills, ^C drops the line', () => {
  assert.deepEqual(feed('ab\x7fc\x08d\r\n'), [null, 'ad']);
  assert.deepEqual(feed('x\xc3\xa9\x7f\n'), [null, 'x']);
  assert.deepEqual(feed('junk\x15ok\n'), [null, 'ok']);
  assert.deepEqual(feed('rm -rf /\x03ls\n'), [null, null, 'ls']);
});

test('escape sequences (arrows, cursor reports) and other control bytes vanish; TAB stays', () => {
  assert.deepEqual(feed('\x1b[24;80R\x1b[Aa\x1bOb\tc\x04\x0c\n'), [null, 'a\tc']);
});

test('a line past the limit keeps its first bytes, is marked cut, and editing stops', () => {
  assert.deepEqual(feed('abcdefgh\x7f\x7fij\r\nok\n', 4), [null, 'abcd…', null, 'ok']);
});

test('the buffer never grows past the limit', () => {
  const lines = createClientLines(1000);
  const out: ClientEvent[] = [];
  lines.push(new Uint8Array(1_000_000).fill(0x41), out);
  assert.ok(lines.buffered <= 1000);
  assert.equal(out.length, 1);
});
