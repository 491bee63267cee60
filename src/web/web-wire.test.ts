// End to end over loopback: the persona responders behind the real HTTP wire session, driven by
// real clients (curl Basic, curl --digest, a form login with a cookie jar) and by `nmap -sV`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { loadPersonaPacks } from '../personas/load-pack.ts';
import { rawExchange, startWebTestServer, type WebTestServer } from '../testing/web-test-server.ts';
import { createWebResponder } from './web-responder.ts';

const run = promisify(execFile);
const hasNmap = ['/usr/bin/nmap', '/usr/local/bin/nmap'].some((p) => existsSync(p));
const personas = await loadPersonaPacks(fileURLToPath(new URL('../../personas', import.meta.url)));
const servers = new Map<string, WebTestServer>();
const scratch = mkdtempSync(join(tmpdir(), 'hachi-web-'));

before(async () => {
  for (const persona of personas) {
    const responder = createWebResponder({ persona, port: 80 });
    assert.ok(responder);
    servers.set(persona.id, await startWebTestServer(responder, persona.deviceClass));
  }
});
after(async () => {
  await Promise.all([...servers.values()].map((s) => s.close()));
  rmSync(scratch, { recursive: true, force: true });
});

const server = (id: string): WebTestServer => {
  const s = servers.get(id);
  assert.ok(s, id);
  return s;
};
const url = (id: string, path: string): string => `http://127.0.0.1:${server(id).port}${path}`;
const curl = async (...args: string[]): Promise<string> => (await run('curl', ['-s', '-i', '--max-time', '5', ...args])).stdout;
const attempts = (id: string) => server(id).connections.flatMap((c) => c.ofType('auth.attempt'));

test('curl Basic against the router: wrong then right password', async () => {
  assert.match(await curl('-u', 'admin:1234', url('asus-rt-n12e-rtl8196c', '/')), /^HTTP\/1\.0 401 Unauthorized\r\nServer: httpd\r\n/);
  const ok = await curl('-u', 'admin:admin', url('asus-rt-n12e-rtl8196c', '/'));
  assert.match(ok, /^HTTP\/1\.0 200 Ok\r\nServer: httpd\r\nDate: .* GMT\r\nCache-Control: no-cache\r\n/);
  assert.match(ok, /<title>ASUS Wireless Router RT-N12E - Network Map<\/title>/);
  assert.deepEqual(attempts('asus-rt-n12e-rtl8196c').map((a) => [a.method, a.username, a.password, a.success]), [
    ['http-basic', 'admin', '1234', false],
    ['http-basic', 'admin', 'admin', true],
  ]);
});

test('curl --digest against the hub API: the real client computes the answer we check', async () => {
  const before = attempts('rk3308-smart-hub').length;
  const ok = await curl('--digest', '-u', 'admin:admin', url('rk3308-smart-hub', '/api/v1/info'));
  assert.match(ok, /HTTP\/1\.1 200 OK\r\nContent-Type: application\/json\r\nContent-Length: \d+\r\nDate: .*\r\nServer: lighttpd\/1\.4\.48\r\n\r\n\{"model":"ZGW-3308"/);
  const bad = await curl('--digest', '-u', 'admin:wrong', url('rk3308-smart-hub', '/api/v1/devices'));
  assert.match(bad, /HTTP\/1\.1 401 Unauthorized[\s\S]*HTTP\/1\.1 401 Unauthorized/);
  assert.deepEqual(attempts('rk3308-smart-hub').slice(before).map((a) => [a.method, a.username, a.password, a.success]), [
    ['http-digest', 'admin', '', true],
    ['http-digest', 'admin', '', false],
  ]);
});

test('curl form login on the hub with a cookie jar, then the protected page', async () => {
  const jar = join(scratch, 'jar.txt');
  const login = await curl('-c', jar, '-d', 'username=admin&password=admin', url('rk3308-smart-hub', '/cgi-bin/login.cgi'));
  assert.match(login, /^HTTP\/1\.1 302 Found\r\nSet-Cookie: ZGWSID=[0-9a-f]{32}; Path=\/; HttpOnly\r\nLocation: \/home\.html\r\n/);
  const home = await curl('-b', jar, url('rk3308-smart-hub', '/home.html'));
  assert.match(home, /^HTTP\/1\.1 200 OK\r\n[\s\S]*<h1>zgw-3308<\/h1>/);
  assert.match(await curl(url('rk3308-smart-hub', '/home.html')), /^HTTP\/1\.1 302 Found\r\nLocation: \/index\.html\r\n/);
});

test('a raw HTTP/1.0 request to the camera gets the exact uc-httpd head and a closed connection', async () => {
  const bytes = (await rawExchange(server('xm-ipc-hi3516d').port, 'GET / HTTP/1.0\r\n\r\n')).toString('latin1');
  assert.ok(bytes.startsWith('HTTP/1.0 200 OK\r\nContent-type: text/html\r\nServer: uc-httpd 1.0.0\r\nExpires: 0\r\n\r\n<!DOCTYPE html'), bytes.slice(0, 120));
  assert.ok(bytes.endsWith('</html>\n'));
});

const nmapExpect: Record<string, RegExp> = {
  'xm-ipc-hi3516d': /open\s+http\s+uc-httpd 1\.0\.0/,
  'asus-rt-n12e-rtl8196c': /open\s+http\s+Asus RT-N12E WAP http config/,
  'rk3308-smart-hub': /open\s+http\s+lighttpd 1\.4\.48/,
};

for (const [id, expected] of Object.entries(nmapExpect)) {
  test(`nmap -sV names ${id}`, { timeout: 90_000, skip: !hasNmap && 'nmap not installed' }, async (t) => {
    const port = String(server(id).port);
    const { stdout } = await run('nmap', ['-sV', '-Pn', '-n', '-p', port, '127.0.0.1'], { timeout: 80_000 });
    const line = stdout.split('\n').find((l) => l.startsWith(`${port}/tcp`)) ?? stdout;
    t.diagnostic(`nmap: ${line}`);
    assert.match(line, expected);
  });
}
