// Properties of the HTTP relay observer: the chunking of either direction never changes what it
// reports, hostile bytes never make it throw, and what it reports and holds stays within its caps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createHttpObserver, type HttpObservation, type HttpObserverOptions } from './http-observer.ts';
import { bytewise, conversation, keepAlive, pipelined, replayHttp, type HttpChunker, type HttpStep } from './fixtures/http-conversations.ts';

const limits: HttpObserverOptions = { maxHeaderBytes: 512, maxBodyBytes: 32, maxRawBytes: 64, maxPending: 4 };
const observe = (steps: readonly HttpStep[], chunker?: HttpChunker, options = limits): HttpObservation[] => replayHttp(createHttpObserver(options), steps, chunker);

const smuggling = conversation(['client', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGPOST / HTTP/1.1\r\n\r\n'], ['device', 'HTTP/1.1 400 Bad\r\n\r\n']);
const upgrade = conversation(['client', 'GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n\x81\x00'], ['device', 'HTTP/1.1 101 Switching\r\n\r\n\x81\x00']);
const golden = [keepAlive, pipelined, smuggling, upgrade];

test('splitting every step at every byte position gives the same observations', () => {
  for (const steps of golden) {
    const expected = observe(steps);
    assert.ok(expected.length > 0);
    assert.deepEqual(observe(steps, bytewise), expected);
    steps.forEach((s, index) => {
      for (let at = 1; at < s.bytes.length; at++) assert.deepEqual(observe(steps, (_l, i) => (i === index ? [at] : [])), expected, `step ${index} cut at ${at}`);
    });
  }
});

const chunkings = fc.array(fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 6 }), { minLength: 1, maxLength: 20 });
const asChunker = (cuts: readonly (readonly number[])[]): HttpChunker => (length, index) => [...(cuts[index % cuts.length] ?? [])].filter((c) => c < length).sort((a, b) => a - b);

/** Plausible messages in random order: valid, odd and hostile requests; responses of every framing. */
const request = fc.constantFrom(
  'GET /cgi-bin/a.cgi?x=1 HTTP/1.1\r\nHost: h\r\n\r\n',
  'HEAD / HTTP/1.1\r\n\r\n',
  'POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello',
  `POST /big HTTP/1.1\r\nContent-Length: 50\r\n\r\n${'b'.repeat(50)}`,
  'POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x\r\nabc\r\n0\r\nT: 1\r\n\r\n',
  '\r\nGET /n HTTP/1.0\n\n',
  'GET /\r\n',
  'CONNECT a:1 HTTP/1.1\r\n\r\n',
  'GET / HTTP/1.1\r\nUpgrade: h2c\r\n\r\n',
  'GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n',
  'POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n',
  `GET / HTTP/1.1\r\nX: ${'x'.repeat(600)}\r\n\r\n`,
  'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n',
  '\x16\x03\x01\x00',
);
const response = fc.constantFrom(
  'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
  'HTTP/1.1 100 Continue\r\n\r\n',
  'HTTP/1.1 204 No Content\r\n\r\n',
  'HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n',
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n',
  'HTTP/1.1 101 Switching Protocols\r\n\r\n',
  'HTTP/1.0 200 OK\r\n\r\nuntil close',
  'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n',
  `HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n${'r'.repeat(40)}`,
  '<html>',
);
const plausibleSteps = fc.array(
  fc.oneof(
    fc.array(request, { minLength: 1, maxLength: 3, size: 'max' }).map((parts): readonly ['client', string] => ['client', parts.join('')]),
    fc.array(response, { minLength: 1, maxLength: 3, size: 'max' }).map((parts): readonly ['device', string] => ['device', parts.join('')]),
  ),
  { maxLength: 12, size: 'max' },
).map((steps) => conversation(...steps));

const withinLimits = (seen: readonly HttpObservation[], options: HttpObserverOptions): void => {
  for (const o of seen) {
    assert.ok(o.body.length <= options.maxBodyBytes && o.bodyBytes >= o.body.length);
    const headerBytes = o.headers.reduce((sum, [n, v]) => sum + n.length + v.length, 0);
    assert.ok(headerBytes <= options.maxHeaderBytes * 2, `headers of ${headerBytes} bytes`);
    if (o.kind === 'request') assert.ok((o.raw?.length ?? 0) <= (options.maxRawBytes ?? 4096) && (o.raw === null) === (o.error === null));
  }
};

test('plausible conversations: chunking never changes what is observed', () => {
  fc.assert(
    fc.property(plausibleSteps, chunkings, (steps, cuts) => {
      const seen = observe(steps);
      withinLimits(seen, limits);
      assert.deepEqual(observe(steps, asChunker(cuts)), seen);
      assert.deepEqual(observe(steps, bytewise), seen);
    }),
    { numRuns: 300 },
  );
});

/** Random bytes mixed with bytes that matter to the parser. */
const fragment = fc.oneof(
  fc.uint8Array({ maxLength: 120 }),
  fc.constantFrom('\r\n', '\n', '\r', '\r\n\r\n', ':', ' ', '\t', '\x00', 'HTTP/1.1 ', '200 OK', 'GET / HTTP/1.1', 'Content-Length: 3', 'Transfer-Encoding: chunked', '0\r\n', 'ff\r\n', ';', 'Upgrade: x', 'x'.repeat(700)).map(
    (text) => new Uint8Array(Buffer.from(text, 'latin1')),
  ),
);
const hostileSteps = fc.array(
  fc.record({ from: fc.constantFrom<'client' | 'device'>('client', 'device'), parts: fc.array(fragment, { maxLength: 8, size: 'max' }) }),
  { maxLength: 16, size: 'max' },
).map((steps) => steps.map(({ from, parts }, n): HttpStep => ({ from, bytes: new Uint8Array(Buffer.concat(parts)), at: n })));

test('hostile bytes: never throws, stays within its caps, and chunking still does not matter', () => {
  fc.assert(
    fc.property(hostileSteps, chunkings, (steps, cuts) => {
      const seen = observe(steps);
      withinLimits(seen, limits);
      assert.deepEqual(observe(steps, asChunker(cuts)), seen);
    }),
    { numRuns: 300 },
  );
});

test('floods in both directions keep what the observer holds under its caps', () => {
  const options = { maxHeaderBytes: 16 * 1024, maxBodyBytes: 64 * 1024, maxRawBytes: 4096, maxPending: 32 };
  const bound = 2 * options.maxHeaderBytes + options.maxRawBytes + 2 * options.maxBodyBytes + 2 * options.maxHeaderBytes + 64 * options.maxPending;
  const floods: readonly (readonly [string, string])[] = [
    ['POST /x HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n', 'HTTP/1.1 200 OK\r\n\r\n'],
    ['POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffff\r\n', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffff\r\n'],
    ['GET / HTTP/1.1\r\nX: ', 'HTTP/1.1 200 OK\r\nX: '],
    ['POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: ', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nY: '],
  ];
  const pipelinedGets = Buffer.from('GET / HTTP/1.1\r\n\r\n'.repeat(4000));
  for (const [clientStart, deviceStart] of floods) {
    const observer = createHttpObserver(options);
    observer.fromClient(Buffer.from(clientStart), 0);
    observer.fromDevice(Buffer.from(deviceStart), 0);
    const flood = Buffer.alloc(256 * 1024, 'a');
    for (let i = 0; i < 16; i++) {
      observer.fromClient(flood, i);
      observer.fromDevice(flood, i);
      assert.ok(observer.heldBytes() <= bound, `${clientStart}: holds ${observer.heldBytes()} bytes`);
    }
    for (const o of observer.end(99)) assert.ok(o.body.length <= options.maxBodyBytes);
  }
  const observer = createHttpObserver(options);
  assert.equal(observer.fromClient(pipelinedGets, 0).length, 4000);
  assert.ok(observer.heldBytes() <= bound);
});
