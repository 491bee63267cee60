// docs/errors.md must list exactly the error codes of src/core/errors.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { errorCodes } from '../../src/core/errors.ts';

test('docs/errors.md lists every error code and no other', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const documented = [...doc.matchAll(/^\| `(HACHI_ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]!);
  assert.deepEqual(documented.sort(), Object.keys(errorCodes).sort());
});
