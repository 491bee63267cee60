// CLI tables: alignment, clipping and neutralised control characters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable, printable } from './table.ts';

test('control characters from attackers are shown, not interpreted', () => {
  assert.equal(printable('a\x1b[2Jb\r\n'), 'a\\x1b[2Jb\\x0d\\x0a');
});

test('columns are aligned and long cells clipped', () => {
  const out = formatTable(['id', 'name'], [['1', 'x'.repeat(100)], ['22', 'b']], 10);
  const lines = out.split('\n');
  assert.equal(lines[0], 'id  name');
  assert.equal(lines[1], `1   ${'x'.repeat(9)}…`);
  assert.equal(lines[2], '22  b');
});
