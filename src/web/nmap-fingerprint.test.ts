// nmap -sV names each persona's web server: its GetRequest ("GET / HTTP/1.0") answer and error pages
// run through nmap's own match lines (converted to JS RegExps) in nmap's order.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { HttpRequest } from '../core/http.ts';
import { loadPersonaPacks } from '../personas/load-pack.ts';
import { writeResponse } from '../protocols/http/response-writer.ts';
import { NMAP_PROBES_FILE, nmapIdentify, nmapMatches } from '../testing/nmap-probes.ts';
import { RecordingEmitter } from '../testing/recording-emitter.ts';
import { createWebResponder } from './web-responder.ts';

const personas = await loadPersonaPacks(fileURLToPath(new URL('../../personas', import.meta.url)));
const available = existsSync(NMAP_PROBES_FILE);

async function answer(id: string, method: string, path: string): Promise<Uint8Array> {
  const persona = personas.find((p) => p.id === id);
  assert.ok(persona);
  const responder = createWebResponder({ persona, port: 80 });
  assert.ok(responder);
  const request: HttpRequest = {
    seq: 1, method, target: path, path, query: '', version: 'HTTP/1.0', headers: [], body: new Uint8Array(0), bodyBytes: 0, truncated: false, raw: null, error: null, tls: false,
  };
  const response = await responder.respond(request, { events: new RecordingEmitter(), src: { ip: '127.0.0.1', port: 1 }, dst: { ip: '127.0.0.1', port: 80 }, now: () => Date.now() }, []);
  return writeResponse(response, { requestVersion: 'HTTP/1.0', omitBody: method === 'HEAD' });
}

const expected: Record<string, RegExp> = {
  'xm-ipc-hi3516d': /^p\/uc-httpd\/ v\/1\.0\.0\/ cpe:\/a:xiongmai_technologies:uc-httpd:1\.0\.0\/$/,
  'asus-rt-n12e-rtl8196c': /^p\/Asus RT-N12E WAP http config\/ d\/WAP\//,
  'rk3308-smart-hub': /^p\/lighttpd\/ v\/1\.4\.48\//,
};

for (const [id, info] of Object.entries(expected)) {
  test(`nmap GetRequest and error answers of ${id} are named as the device`, { skip: !available && 'nmap-service-probes not installed' }, async (t) => {
    const { matches, skipped } = nmapMatches('GetRequest');
    assert.ok(matches.length > 1000, `${matches.length} match lines (${skipped} not convertible)`);
    for (const [method, path] of [['GET', '/'], ['GET', '/no-such-page.html']] as const) {
      const found = nmapIdentify(matches, await answer(id, method, path));
      t.diagnostic(`${method} ${path}: nmap line ${found?.line}: ${found?.service} ${found?.info}`);
      assert.equal(found?.service, 'http');
      assert.match(found.info, info);
    }
  });
}
