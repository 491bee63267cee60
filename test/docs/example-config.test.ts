// The example configuration shipped in the repository must stay valid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigFile } from '../../src/config/load.ts';

test('hachi.example.yaml is a valid configuration', async () => {
  const config = await loadConfigFile(new URL('../../hachi.example.yaml', import.meta.url).pathname);
  assert.equal(config.services?.length, 3);
});
