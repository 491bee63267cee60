// The HTTP relay observer on hand-written conversations: keep-alive, pipelining, each body framing,
// bodiless responses, upgrades and tunnels, malformed and smuggling requests, sessions cut short.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHttpObserver, type HttpObservation, type HttpObserverOptions } from './http-observer.ts';
import { conversation, keepAlive, pipelined, replayHttp, type HttpStep } from './fixtures/http-conversations.ts';

const limits: HttpObserverOptions = { maxHeaderBytes: 1024, maxBodyBytes: 64 };
const observe = (steps: readonly HttpStep[], options: HttpObserverOptions = limits): HttpObservation[] => replayHttp(createHttpObserver(options), steps);
/** A compact view: requests as `seq METHOD path?query`, responses as `seq -> status`. */
const brief = (seen: readonly HttpObservation[]): string[] =>
  seen.map((o) => (o.kind === 'request' ? `${o.seq} ${o.error === null ? '' : '! '}${o.method} ${o.path}${o.query === '' ? '' : `?${o.query}`}` : `${o.seq} -> ${o.status}`));

test('keep-alive: Content-Length, chunked both ways with extensions and trailers, 204, HEAD, a body until close', () => {
  const seen = observe(keepAlive);
  assert.deepEqual(brief(seen), ['1 GET /cgi-bin/login.cgi?user=admin&pass=x', '1 -> 200', '2 POST /cgi-bin/ping.cgi', '2 -> 200', '3 POST /upload', '3 -> 204', '4 HEAD /', '4 -> 200', '5 GET /old', '5 -> 200']);
  assert.deepEqual(seen[0], {
    kind: 'request', seq: 1, method: 'GET', path: '/cgi-bin/login.cgi', query: 'user=admin&pass=x', version: 'HTTP/1.1',
    headers: [['Host', 'cam'], ['User-Agent', 'Mozila/5.0'], ['Accept', '*/*']], body: '', bodyBytes: 0, truncated: false, raw: null, error: null,
  });
  assert.deepEqual(seen[1], { kind: 'response', seq: 1, status: 200, reason: 'OK', version: 'HTTP/1.1', headers: [['Content-Type', 'text/html'], ['Content-Length', '12']], body: '<b>login</b>', bodyBytes: 12, truncated: false, durationMs: 10 });
  const post = seen[2]!;
  assert.ok(post.kind === 'request' && post.body === 'ip=1.2.3.4;wget+http://' && post.bodyBytes === 23 && !post.truncated);
  const chunked = seen[3]!;
  assert.ok(chunked.kind === 'response' && chunked.body === 'PING 1.2.3.4 ok' && chunked.bodyBytes === 15);
  // The trailer follows the headers.
  const upload = seen[4]!;
  assert.ok(upload.kind === 'request' && upload.body === 'abcdefg');
  assert.deepEqual(upload.headers, [['Host', 'cam'], ['Transfer-Encoding', 'chunked'], ['X-Sum', '7']]);
  // HEAD: Content-Length 5000 but no body; the HTTP/1.0 answer without a length runs to the close.
  const head = seen[7]!;
  assert.ok(head.kind === 'response' && head.bodyBytes === 0 && !head.truncated);
  const old = seen[9]!;
  assert.ok(old.kind === 'response' && old.body === 'until the device closes' && !old.truncated && old.durationMs === 20);
});

test('bodies past the cap are cut and counted', () => {
  const seen = observe(keepAlive, { maxHeaderBytes: 1024, maxBodyBytes: 8 });
  const post = seen[2]!;
  assert.ok(post.kind === 'request' && post.body === 'ip=1.2.3' && post.bodyBytes === 23 && post.truncated);
});

test('pipelining: responses pair with requests in order; 100 Continue is interim; Connection: close ends the device side', () => {
  const steps = [...pipelined, ...conversation(['device', 'HTTP/1.1 200 OK\r\n\r\n'])];
  const seen = observe(steps);
  assert.deepEqual(brief(seen), ['1 GET /a', '2 GET /b?x=1', '3 POST /c', '1 -> 200', '2 -> 404', '3 -> 100', '3 -> 200']);
});

test('more unanswered requests than tracked still pair by position', () => {
  const requests = Array.from({ length: 10 }, (_, i) => `GET /${i} HTTP/1.1\r\nHost: x\r\n\r\n`).join('');
  const answers = Array.from({ length: 10 }, (_, i) => `HTTP/1.1 200 OK\r\nContent-Length: ${String(i).length}\r\n\r\n${i}`).join('');
  const seen = observe(conversation(['client', requests], ['device', answers]), { ...limits, maxPending: 3 });
  const responses = seen.filter((o) => o.kind === 'response');
  assert.deepEqual(responses.map((o) => [o.seq, o.body]), Array.from({ length: 10 }, (_, i) => [i + 1, String(i)]));
});

test('304, 1xx and an unasked response; durations run from the end of the request', () => {
  const seen = observe(conversation(
    ['device', 'HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n'],
    ['client', 'GET /x HTTP/1.1\r\nIf-None-Match: "a"\r\n\r\n'],
    ['device', 'HTTP/1.1 102 Processing\r\n\r\n'],
    ['device', 'HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\nETag: "a"\r\n\r\n'],
  ));
  assert.deepEqual(seen.map((o) => (o.kind === 'response' ? [o.seq, o.status, o.bodyBytes, o.durationMs] : o.seq)), [[0, 408, 0, 0], 1, [1, 102, 0, 10], [1, 304, 0, 20]]);
});

test('HTTP/0.9: a request line without a version, answered by a bare body', () => {
  const seen = observe(conversation(['client', 'GET /index.html\r\nGET /again HTTP/1.1\r\n\r\n'], ['device', '<html>hi</html>']));
  assert.deepEqual(seen, [
    { kind: 'request', seq: 1, method: 'GET', path: '/index.html', query: '', version: 'HTTP/0.9', headers: [], body: '', bodyBytes: 0, truncated: false, raw: null, error: null },
    { kind: 'response', seq: 1, status: 0, reason: '', version: '', headers: [], body: '<html>hi</html>', bodyBytes: 15, truncated: false, durationMs: 20 },
  ]);
});

test('Upgrade and 101: both sides are opaque afterwards', () => {
  const seen = observe(conversation(
    ['client', 'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x85GET / HTTP/1.1\r\n\r\n'],
    ['device', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x02hiHTTP/1.1 200 OK\r\n\r\n'],
  ));
  assert.deepEqual(brief(seen), ['1 GET /ws', '1 -> 101']);
});

test('CONNECT and its 200: a tunnel, not followed', () => {
  const seen = observe(conversation(
    ['client', 'CONNECT 10.0.0.1:443 HTTP/1.1\r\nHost: 10.0.0.1:443\r\n\r\n'],
    ['device', 'HTTP/1.1 200 Connection established\r\n\r\n'],
    ['client', '\x16\x03\x01\x00\xa5GET / HTTP/1.1\r\n\r\n'],
    ['device', 'HTTP/1.1 200 OK\r\n\r\n'],
  ));
  assert.deepEqual(brief(seen), ['1 CONNECT 10.0.0.1:443', '1 -> 200']);
});

const malformedCases: readonly (readonly [string, string, RegExp])[] = [
  ['TLS on the HTTP port', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n', /NUL byte/],
  ['a garbage request line', 'HELLO\r\n\r\n', /bad request line/],
  ['NUL in the request line', 'GET /\x00 HTTP/1.1\r\n\r\n', /NUL/],
  ['NUL in a header', 'GET / HTTP/1.1\r\nX: a\x00b\r\n\r\n', /NUL/],
  ['obs-fold', 'GET / HTTP/1.1\r\nX-A: a\r\n  folded\r\n\r\n', /obs-fold/],
  ['a space before the colon', 'GET / HTTP/1.1\r\nContent-Length : 5\r\n\r\nhello', /bad header line/],
  ['Content-Length with Transfer-Encoding (CL.TE smuggling)', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG', /smuggling/],
  ['two Content-Lengths that disagree', 'POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd', /Content-Length/],
  ['a Transfer-Encoding that does not end in chunked', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked, identity\r\n\r\n', /chunked/],
  ['a bad chunk size', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n', /bad chunk size/],
  ['a chunk without its line end', 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n', /line end/],
];

for (const [name, text, error] of malformedCases) {
  test(`malformed request: ${name}; raw bytes kept, the device's answer pairs with it, then the client side is opaque`, () => {
    const seen = observe(conversation(['client', text], ['client', 'GET /next HTTP/1.1\r\n\r\n'], ['device', 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n']));
    assert.equal(seen.length, 2, JSON.stringify(seen));
    const [request, response] = seen;
    assert.ok(request?.kind === 'request' && request.seq === 1 && request.error !== null, JSON.stringify(request));
    assert.match(request.error, error);
    assert.equal(request.raw, `${text}GET /next HTTP/1.1\r\n\r\n`);
    assert.deepEqual(response && response.kind === 'response' && [response.seq, response.status], [1, 400]);
  });
}

test('a malformed request keeps what parsed (method, path, headers) for analysis', () => {
  const [request] = observe(conversation(['client', 'POST /cgi-bin/x?a=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG']));
  assert.ok(request?.kind === 'request');
  assert.deepEqual([request.method, request.path, request.query, request.headers.length], ['POST', '/cgi-bin/x', 'a=1', 3]);
});

test('a request head over the cap is malformed; raw keeps its first bytes', () => {
  const big = `GET / HTTP/1.1\r\nX: ${'a'.repeat(2000)}\r\n\r\n`;
  const [request, ...rest] = observe(conversation(['client', big]), { ...limits, maxRawBytes: 100 });
  assert.equal(rest.length, 0);
  assert.ok(request?.kind === 'request' && request.error === 'request head over 1024 bytes');
  assert.equal(request.raw, big.slice(0, 100));
  assert.equal(request.method, 'GET');
});

test('requests cut by the end of the session are reported with what arrived', () => {
  const inHead = observe(conversation(['client', 'GET /cgi-bin/ HTTP/1.1\r\nHost: ca']));
  assert.ok(inHead[0]?.kind === 'request' && inHead[0].method === 'GET');
  assert.deepEqual([inHead[0].error, inHead[0].raw], ['the session ended inside the request head', 'GET /cgi-bin/ HTTP/1.1\r\nHost: ca']);
  const inBody = observe(conversation(['client', 'POST /up HTTP/1.1\r\nContent-Length: 100\r\n\r\n\x7fELF']));
  assert.ok(inBody[0]?.kind === 'request');
  assert.deepEqual([inBody[0].body, inBody[0].bodyBytes, inBody[0].truncated, inBody[0].error], ['\x7fELF', 4, true, null]);
  // Only empty lines: nothing to report.
  assert.deepEqual(observe(conversation(['client', '\r\n\r\n'])), []);
});

test('a response cut by the end of the session is truncated; a device that is not HTTP is recorded as status 0', () => {
  const cut = observe(conversation(['client', 'GET / HTTP/1.1\r\n\r\n'], ['device', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc']));
  assert.ok(cut[1]?.kind === 'response' && cut[1].truncated && cut[1].body === 'abc');
  const banner = observe(conversation(['client', 'GET / HTTP/1.1\r\n\r\n'], ['device', 'SSH-2.0-dropbear\r\n']));
  assert.ok(banner[1]?.kind === 'response' && banner[1].status === 0 && banner[1].seq === 1 && banner[1].body === 'SSH-2.0-dropbear\r\n');
  const broken = observe(conversation(['client', 'GET / HTTP/1.1\r\n\r\n'], ['device', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\nHTTP/1.1 200 OK\r\n\r\n']));
  assert.deepEqual(brief(broken), ['1 GET /', '1 -> 200']);
  assert.ok(broken[1]?.kind === 'response' && broken[1].truncated);
});

test('lenient with the device: obs-fold joins, bad header lines are skipped, a status line without a reason', () => {
  const seen = observe(conversation(['client', 'GET / HTTP/1.1\r\n\r\n'], ['device', 'HTTP/1.0 200\r\nServer: a\r\n b\r\nnot a header\r\nContent-Length: 0\r\n\r\n']));
  assert.ok(seen[1]?.kind === 'response');
  assert.deepEqual([seen[1].reason, seen[1].headers], ['', [['Server', 'a b'], ['Content-Length', '0']]]);
});

test('after end() nothing more is observed', () => {
  const observer = createHttpObserver(limits);
  observer.end(0);
  assert.deepEqual(observer.fromClient(Buffer.from('GET / HTTP/1.1\r\n\r\n'), 1), []);
  assert.deepEqual(observer.fromDevice(Buffer.from('HTTP/1.1 200 OK\r\n\r\n'), 1), []);
  assert.deepEqual(observer.end(2), []);
});
