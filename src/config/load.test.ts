// Configuration loading: embedded defaults and precise error messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile, parseConfig } from './load.ts';

test('no file at all gives the embedded defaults', () => {
  const config = parseConfig(undefined, '(defaults)');
  assert.equal(config.dataDir, 'data');
  assert.equal(config.sessions.idleTimeoutMs, 180_000);
  assert.equal(config.sinks.sqlite.enabled, true);
  assert.equal(config.services, undefined);
});

test('errors name the file, the key path and the problem', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-config-'));
  const file = join(dir, 'hachi.yaml');
  await writeFile(file, 'services:\n  - name: cam\n    protocol: telnet\n    port: 99999\n    persona: x\nsessions:\n  idleTimeoutMS: 5\n');
  await assert.rejects(loadConfigFile(file), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'HACHI_ERR_CONFIG');
    assert.match(error.message, new RegExp(`${file.replace(/[.]/g, '\\.')}: services\\.0\\.port: .*65535`));
    assert.match(error.message, /sessions: unknown key\(s\) "idleTimeoutMS"/);
    return true;
  });
});

test('invalid YAML names the line', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-config-'));
  const file = join(dir, 'bad.yaml');
  await writeFile(file, 'services:\n  - name: [unclosed\n');
  await assert.rejects(loadConfigFile(file), /bad\.yaml: line \d+, column \d+: invalid YAML/);
});

test('a missing file is reported with its path', async () => {
  await assert.rejects(loadConfigFile('/nonexistent/hachi.yaml'), /\/nonexistent\/hachi\.yaml: cannot read/);
});
