// Golden-byte tests of the response writer and the keep-alive decision.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpRequest, HttpResponse } from '../../core/http.ts';
import { keepsAlive } from './keep-alive.ts';
import { writeResponse } from './response-writer.ts';

const body = Buffer.from('<html>x</html>', 'latin1');
const response: HttpResponse = { status: 401, reason: 'Unauthorized', headers: [['WWW-Authenticate', 'Basic realm="DVR"'], ['Content-Length', '14']], body };
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

function request(version: string, headers: [string, string][] = [], method = 'GET'): HttpRequest {
  return { seq: 1, method, target: '/', path: '/', query: '', version, headers, body: new Uint8Array(0), bodyBytes: 0, truncated: false, raw: null, error: null, tls: false };
}

describe('response writer', () => {
  it('writes the status line, headers in order and body, nothing added', () => {
    assert.equal(text(writeResponse(response, { requestVersion: 'HTTP/1.1', omitBody: false })), 'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="DVR"\r\nContent-Length: 14\r\n\r\n<html>x</html>');
  });

  it("answers in the response's version, else the request's (HTTP/1.1 for anything else)", () => {
    assert.match(text(writeResponse({ ...response, version: 'HTTP/1.0' }, { requestVersion: 'HTTP/1.1', omitBody: true })), /^HTTP\/1\.0 401 /);
    assert.match(text(writeResponse(response, { requestVersion: 'HTTP/1.0', omitBody: true })), /^HTTP\/1\.0 401 /);
    assert.match(text(writeResponse(response, { requestVersion: '', omitBody: true })), /^HTTP\/1\.1 401 /);
  });

  it('leaves the body out for HEAD, keeps an empty reason, and never lets a value split the response', () => {
    const out = text(writeResponse({ status: 200, reason: '', headers: [['Location', '/a\r\nSet-Cookie: x=1']], body }, { requestVersion: 'HTTP/1.1', omitBody: true }));
    assert.equal(out, 'HTTP/1.1 200 \r\nLocation: /aSet-Cookie: x=1\r\n\r\n');
  });
});

describe('keep-alive', () => {
  const ok: HttpResponse = { status: 200, reason: 'OK', headers: [['Content-Length', '0']], body: new Uint8Array(0) };
  it('follows the versions and Connection headers of both sides', () => {
    assert.equal(keepsAlive(request('HTTP/1.1'), ok), true);
    assert.equal(keepsAlive(request('HTTP/1.1', [['Connection', 'close']]), ok), false);
    assert.equal(keepsAlive(request('HTTP/1.1'), { ...ok, headers: [...ok.headers, ['Connection', 'Close']] }), false);
    assert.equal(keepsAlive(request('HTTP/1.1'), { ...ok, version: 'HTTP/1.0' }), false);
    assert.equal(keepsAlive(request('HTTP/1.0'), ok), false);
    assert.equal(keepsAlive(request('HTTP/1.0', [['Connection', 'Keep-Alive']]), { ...ok, headers: [...ok.headers, ['Connection', 'keep-alive']] }), true);
    assert.equal(keepsAlive(request('HTTP/1.1'), { ...ok, close: true }), false);
  });

  it('closes after a body framed by the connection end (but not for HEAD or 304)', () => {
    const unframed: HttpResponse = { ...ok, headers: [] };
    assert.equal(keepsAlive(request('HTTP/1.1'), unframed), false);
    assert.equal(keepsAlive(request('HTTP/1.1', [], 'HEAD'), unframed), true);
    assert.equal(keepsAlive(request('HTTP/1.1'), { ...unframed, status: 304 }), true);
    assert.equal(keepsAlive(request('HTTP/1.1'), { ...unframed, headers: [['Transfer-Encoding', 'chunked']] }), true);
  });
});
