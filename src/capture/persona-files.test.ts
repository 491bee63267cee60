// The persona-file matcher: equal bytes match, same size with other bytes does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testPersona } from '../testing/test-persona.ts';
import { personaFileMatcher } from './persona-files.ts';

test('a copy of a persona file matches; other bytes of the same size do not', () => {
  const persona = testPersona();
  const matches = personaFileMatcher(persona);
  const busybox = persona.fs.get('/bin/busybox');
  assert.ok(busybox?.kind === 'file');
  assert.equal(matches(new Uint8Array(busybox.data)), true);
  const other = new Uint8Array(busybox.data);
  other[other.length - 1] = (other[other.length - 1] ?? 0) ^ 0xff;
  assert.equal(matches(other), false);
  assert.equal(matches(new Uint8Array(0)), false);
});
