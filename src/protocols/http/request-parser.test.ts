// Unit tests of the HTTP request parser: well-formed requests, each malformed shape a strict server
// rejects (still recorded with error and raw), and each limit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRequestParser, type ParsedRequest, type RequestLimits } from './request-parser.ts';

const limits: RequestLimits = { maxHeaderBytes: 1024, maxHeaderCount: 10, maxBodyBytes: 16, maxBodyReadBytes: 64, maxRawBytes: 100 };

function parseAll(input: string | Uint8Array, chunkSize = Infinity, l: RequestLimits = limits): ParsedRequest[] {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const parser = createRequestParser(l, { tls: false });
  const out: ParsedRequest[] = [];
  for (let i = 0; i < bytes.length; i += Math.min(chunkSize, bytes.length)) {
    parser.push(bytes.subarray(i, Math.min(bytes.length, i + chunkSize)));
    for (let p = parser.next(); p; p = parser.next()) out.push(p);
  }
  const cut = parser.end('connection closed inside the request');
  if (cut) out.push(cut);
  return out;
}

const text = (b: Uint8Array | null): string | null => (b === null ? null : Buffer.from(b).toString('latin1'));

describe('request parser', () => {
  it('parses a GET with headers in order, names as sent', () => {
    const [r, ...rest] = parseAll('GET /cgi-bin/x.cgi?a=1&b=%20 HTTP/1.1\r\nHost: h\r\nuser-agent: curl\r\nX-A:  v  \r\n\r\n');
    assert.equal(rest.length, 0);
    assert.ok(r);
    const q = r.request;
    assert.deepEqual([q.seq, q.method, q.target, q.path, q.query, q.version], [1, 'GET', '/cgi-bin/x.cgi?a=1&b=%20', '/cgi-bin/x.cgi', 'a=1&b=%20', 'HTTP/1.1']);
    assert.deepEqual(q.headers, [['Host', 'h'], ['user-agent', 'curl'], ['X-A', 'v']]);
    assert.deepEqual([q.error, q.raw, q.truncated, q.body.length, r.final, r.limit], [null, null, false, 0, false, null]);
  });

  it('reads Content-Length and chunked bodies (trailers after the headers), pipelined', () => {
    const out = parseAll('POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloPOST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n\r\nGET /c HTTP/1.0\r\n\r\n');
    assert.deepEqual(out.map((p) => [p.request.seq, p.request.path, text(p.request.body), p.request.bodyBytes, p.request.error]), [
      [1, '/a', 'hello', 5, null],
      [2, '/b', 'abcde', 5, null],
      [3, '/c', '', 0, null],
    ]);
    assert.deepEqual(out[1]?.request.headers, [['Transfer-Encoding', 'chunked'], ['X-T', '1']]);
  });

  const malformed: [string, string, RegExp][] = [
    ['bad request line', 'GET/ HTTP/1.1\r\n\r\n', /bad request line/],
    ['NUL in a header', 'GET / HTTP/1.1\r\nX: a\0b\r\n\r\n', /bad header line/],
    ['obs-fold', 'GET / HTTP/1.1\r\nX: a\r\n  b\r\n\r\n', /obs-fold/],
    ['bad chunk size', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /bad chunk size/],
    ['CL and TE (smuggling)', 'POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', /smuggling/],
    ['conflicting Content-Length', 'POST / HTTP/1.1\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcd', /Content-Length/],
    ['TE without chunked last', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n', /final coding/],
    ['non-ASCII target', 'GET /\xff\xfe HTTP/1.1\r\n\r\n', /invalid characters/],
    ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', /unsupported version HTTP\/2.0/],
    ['HTTP/0.9', 'GET /\r\n\r\n', /unsupported version HTTP\/0.9/],
    ['binary bytes (TLS hello)', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', /bad request line/],
  ];
  for (const [name, input, error] of malformed) {
    it(`records ${name} as malformed, with raw bytes, and stops`, () => {
      const out = parseAll(`${input}GET /next HTTP/1.1\r\n\r\n`);
      assert.equal(out.length, 1, JSON.stringify(out));
      const r = out[0]!;
      assert.match(r.request.error ?? '', error);
      assert.ok(r.request.raw && r.request.raw.length > 0 && r.request.raw.length <= limits.maxRawBytes);
      assert.equal(r.final, true);
    });
  }

  it('keeps the method and path of a malformed request when its line parsed', () => {
    const [r] = parseAll('POST /x?y=1 HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n');
    assert.deepEqual([r?.request.method, r?.request.path, r?.request.query], ['POST', '/x', 'y=1']);
    assert.match(text(r?.request.raw ?? null) ?? '', /^POST \/x\?y=1 HTTP\/1.1\r\nContent-Length/);
  });

  it('cuts an over-long head at the header-bytes limit', () => {
    const [r, ...rest] = parseAll(`GET /a HTTP/1.1\r\nX: ${'a'.repeat(5000)}\r\n\r\n`);
    assert.equal(rest.length, 0);
    assert.equal(r?.limit?.limit, 'header-bytes');
    assert.equal(r?.request.path, '/a');
    assert.equal(r?.request.raw?.length, limits.maxRawBytes);
  });

  it('cuts a header flood at the header-count limit', () => {
    const [r] = parseAll(`GET / HTTP/1.1\r\n${'X: 1\r\n'.repeat(11)}\r\n`);
    assert.equal(r?.limit?.limit, 'header-count');
    assert.match(r?.request.error ?? '', /more than 10 header lines/);
  });

  it('stops reading a body at the read limit, keeping only the first bytes', () => {
    const body = 'b'.repeat(1000);
    const [r, ...rest] = parseAll(`POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n${body}GET / HTTP/1.1\r\n\r\n`, 7);
    assert.equal(rest.length, 0);
    assert.equal(r?.limit?.limit, 'body-bytes');
    assert.equal(r?.request.body.length, 16);
    assert.equal(r?.request.bodyBytes, 1000);
    assert.equal(r?.request.truncated, true);
    assert.equal(r?.final, true);
  });

  it('records a request the connection cut inside its head or body', () => {
    const [head] = parseAll('GET /slow HTTP/1.1\r\nHost: x\r\n');
    assert.equal(head?.request.error, 'connection closed inside the request');
    assert.equal(head?.request.path, '/slow');
    const [body] = parseAll('POST /p HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc');
    assert.deepEqual([body?.request.error, text(body?.request.body ?? null), body?.request.truncated, body?.request.bodyBytes], ['connection closed inside the request', 'abc', true, 10]);
  });

  it('ignores empty lines before a request line, and gives the same result byte by byte', () => {
    const input = '\r\n\r\nGET / HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nok';
    const whole = parseAll(input);
    assert.equal(whole.length, 2);
    assert.deepEqual(parseAll(input, 1), whole);
  });
});
