// ls on a terminal: columns exactly as BusyBox 1.35 prints them (captured from `busybox ls` in an 80-column pty).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnate } from './ls-format.ts';

test('names fill columns top to bottom, width = longest + 2, one terminal column kept free', () => {
  const names = ['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff', 'ggggggg', 'hhhhhhhh', 'iii', 'jjjjjjjjjj', 'kkkkkkkkkkkk', 'lll', 'mmmmmm', 'nnnnnnnnnnnnnn', 'ooo'];
  assert.deepEqual(columnate(names, 80), [
    'a               eeeee           iii             mmmmmm',
    'bb              ffffff          jjjjjjjjjj      nnnnnnnnnnnnnn',
    'ccc             ggggggg         kkkkkkkkkkkk    ooo',
    'dddd            hhhhhhhh        lll',
  ]);
});

test('a name wider than the terminal gets a column of its own; nothing gives no lines', () => {
  assert.deepEqual(columnate(['x'.repeat(100), 'y'], 80), ['x'.repeat(100), 'y']);
  assert.deepEqual(columnate([], 80), []);
});
