// Property: random and hostile requests (methods, paths, headers, bodies, malformed) never make a
// persona responder throw, and every answer is well formed (Content-Length, when sent, is right).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import fc from 'fast-check';
import type { ExploitMatch, HttpRequest } from '../core/http.ts';
import { loadPersonaPacks } from '../personas/load-pack.ts';
import { RecordingEmitter } from '../testing/recording-emitter.ts';
import { createWebResponder, webPorts } from './web-responder.ts';

const personas = await loadPersonaPacks(fileURLToPath(new URL('../../personas', import.meta.url)));
const responders = personas.flatMap((persona) => webPorts(persona).map(({ port }) => createWebResponder({ persona, port }))).filter((r) => r !== null);

const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
const anyText = fc.string({ maxLength: 200, unit: 'binary' });
const authValue = fc.oneof(
  anyText,
  anyText.map((s) => `Basic ${Buffer.from(s).toString('base64')}`),
  fc.tuple(anyText, anyText, anyText).map(([u, n, r]) => `Digest username="${u}", nonce="${n}", uri="/", response="${r}", qop=auth, nc=1, cnonce="x"`),
  fc.constant('Digest username="admin", nonce="' + 'a'.repeat(40) + '", uri="/api/v1/info", response="00"'),
);
const header = fc.oneof(fc.tuple(token, anyText), fc.tuple(fc.constantFrom('Authorization', 'Cookie', 'Connection', 'Content-Type'), authValue));
const path = fc.oneof(
  fc.constantFrom('/', '/Login.htm', '/cgi-bin/login.cgi', '/api/v1/info', '/api/x', '/home.html', '/apply.cgi', '/index.asp', '/%', '/%ZZ', '/%c0%af'),
  anyText.map((s) => `/${s}`),
);

const requestArb = fc.record({
  method: fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'DELETE', 'PROPFIND'), token),
  path,
  version: fc.constantFrom('HTTP/1.0', 'HTTP/1.1', 'HTTP/0.9', 'HTTP/2.0'),
  headers: fc.array(header, { maxLength: 8 }),
  body: fc.uint8Array({ maxLength: 300 }),
  error: fc.option(fc.constant('malformed'), { freq: 5 }),
  exploit: fc.boolean(),
});

test('responders never throw and keep Content-Length and HEAD rules', async () => {
  assert.equal(responders.length, 4);
  const exploit: ExploitMatch = { signature: 's', name: 'n', cves: [], vendor: 'v', product: 'p', technique: 'T1190', classes: [], payload: null, evidence: '', response: null };
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...responders), requestArb, async (responder, r) => {
      const request: HttpRequest = {
        seq: 1, method: r.method, target: r.path, path: r.path, query: '', version: r.version, headers: r.headers, body: r.body, bodyBytes: r.body.length,
        truncated: false, raw: r.error ? new Uint8Array([0]) : null, error: r.error, tls: false,
      };
      const events = new RecordingEmitter();
      const response = await responder.respond(request, { events, src: { ip: '192.0.2.1', port: 1 }, dst: { ip: '127.0.0.1', port: 80 }, now: () => 1_700_000_000_000 }, r.exploit ? [exploit] : []);
      assert.ok(response.status >= 100 && response.status < 600);
      const length = response.headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1];
      if (r.method === 'HEAD') assert.equal(response.body.length, 0);
      else if (length !== undefined) assert.equal(Number(length), response.body.length);
      if (length === undefined) assert.equal(response.close, true);
      for (const [name, value] of response.headers) assert.doesNotMatch(`${name}${value}`, /[\r\n]/);
    }),
    { numRuns: 400 },
  );
});
