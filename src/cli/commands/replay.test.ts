// Replay: asciicast parsing and removal of hostile terminal sequences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAsciicast, withoutHostileSequences } from './replay.ts';

test('asciicast output frames are read and torn lines skipped', () => {
  const text = '{"version":2,"width":80,"height":24}\n[0.1,"o","a"]\n[0.2,"i","x"]\n[0.3,"o","b"]\n[0.4,"o","tor';
  assert.deepEqual(parseAsciicast(text), [
    { time: 0.1, data: 'a' },
    { time: 0.3, data: 'b' },
  ]);
});

test('hostile terminal sequences are removed, colours kept', () => {
  assert.equal(withoutHostileSequences('a\x1b]52;c;ZXZpbA==\x07b'), 'ab');
  assert.equal(withoutHostileSequences('# \x1b[6nls'), '# ls');
  assert.equal(withoutHostileSequences('\x1bP1$qm\x1b\\ok'), 'ok');
  assert.equal(withoutHostileSequences('\x1b[31mred\x1b[0m'), '\x1b[31mred\x1b[0m');
});
