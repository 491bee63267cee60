// The conntrack listing parser: real `conntrack -L` lines (plain and extended, IPv4 and IPv6), the
// redirected flow picked among others, and junk that must not become a destination.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { originalDestination, parseConntrack } from './conntrack-entry.ts';

const EXTENDED = [
  'ipv4     2 tcp      6 431999 ESTABLISHED src=192.0.2.10 dst=203.0.113.5 sport=46113 dport=6667 src=192.0.2.1 dst=192.0.2.10 sport=9999 dport=46113 [ASSURED] mark=0 use=1',
  'ipv4     2 tcp      6 117 TIME_WAIT src=192.0.2.10 dst=192.0.2.1 sport=46113 dport=23 src=192.0.2.1 dst=192.0.2.10 sport=23 dport=46113 [ASSURED] mark=0 use=1',
  'ipv6     10 tcp      6 60 SYN_RECV src=2001:db8::10 dst=2001:db8:ffff::5 sport=40000 dport=443 src=2001:db8::1 dst=2001:db8::10 sport=9999 dport=40000 mark=0 use=1',
].join('\n');
const PLAIN = 'udp      17 28 src=192.0.2.10 dst=198.51.100.53 sport=35815 dport=53 [UNREPLIED] src=192.0.2.1 dst=192.0.2.10 sport=9953 dport=35815 mark=0 use=1\nconntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n';

test('parses both directions of TCP and UDP flows, extended or plain', () => {
  const entries = parseConntrack(EXTENDED);
  assert.equal(entries.length, 3);
  assert.deepEqual(entries[0], {
    protocol: 'tcp',
    original: { src: '192.0.2.10', dst: '203.0.113.5', sport: 46113, dport: 6667 },
    reply: { src: '192.0.2.1', dst: '192.0.2.10', sport: 9999, dport: 46113 },
  });
  assert.deepEqual(parseConntrack(PLAIN), [
    { protocol: 'udp', original: { src: '192.0.2.10', dst: '198.51.100.53', sport: 35815, dport: 53 }, reply: { src: '192.0.2.1', dst: '192.0.2.10', sport: 9953, dport: 35815 } },
  ]);
});

test('the original destination is the flow whose reply comes from the sinkhole', () => {
  const entries = parseConntrack(EXTENDED);
  const local = { ip: '192.0.2.1', port: 9999 };
  assert.deepEqual(originalDestination(entries, 'tcp', { ip: '192.0.2.10', port: 46113 }, local), { ip: '203.0.113.5', port: 6667 });
  assert.deepEqual(originalDestination(entries, 'tcp', { ip: '2001:db8::10', port: 40000 }, { ip: '2001:db8::1', port: 9999 }), { ip: '2001:db8:ffff::5', port: 443 });
  assert.equal(originalDestination(entries, 'udp', { ip: '192.0.2.10', port: 46113 }, local), null, 'protocol must match');
  assert.equal(originalDestination(entries, 'tcp', { ip: '192.0.2.10', port: 46114 }, local), null);
  assert.equal(originalDestination(entries, 'tcp', { ip: '192.0.2.10', port: 46113 }, { ip: '192.0.2.1', port: 8888 }), null, 'neither flow from that port was answered by 8888');
  // A flow that reached the listener without a redirect: its destination is the listener itself.
  assert.deepEqual(originalDestination(entries, 'tcp', { ip: '192.0.2.10', port: 46113 }, { ip: '192.0.2.1', port: 23 }), { ip: '192.0.2.1', port: 23 });
  assert.deepEqual(originalDestination(parseConntrack(PLAIN), 'udp', { ip: '192.0.2.10', port: 35815 }, { ip: '192.0.2.1', port: 9953 }), { ip: '198.51.100.53', port: 53 });
});

test('junk, other protocols and half lines are skipped', () => {
  for (const text of [
    '',
    'conntrack v1.4.7 (conntrack-tools): 0 flow entries have been shown.',
    'icmp     1 29 src=192.0.2.10 dst=192.0.2.1 type=8 code=0 id=1 src=192.0.2.1 dst=192.0.2.10 type=0 code=0 id=1 mark=0 use=1',
    'tcp      6 10 ESTABLISHED src=192.0.2.10 dst=203.0.113.5 sport=1 dport=2',
    'tcp      6 10 ESTABLISHED src=192.0.2.10 dst=$(reboot) sport=1 dport=2 src=1.2.3.4 dst=192.0.2.10 sport=3 dport=1',
    'tcp      6 10 ESTABLISHED src=192.0.2.10 dst=203.0.113.5 sport=1 dport=99999 src=1.2.3.4 dst=192.0.2.10 sport=3 dport=1',
    `tcp      6 10 ESTABLISHED ${'x'.repeat(5000)} src=192.0.2.10 dst=203.0.113.5 sport=1 dport=2 src=1.2.3.4 dst=192.0.2.10 sport=3 dport=1`,
  ]) {
    assert.deepEqual(parseConntrack(text), [], text.slice(0, 60));
  }
});

test('fuzz: any text parses without throwing into well-formed entries', () => {
  const token = fc.constantFrom('tcp', 'udp', '6', '17', 'ipv4', '2', 'src=', 'dst=', 'sport=', 'dport=', '192.0.2.1', '::1', '65535', '70000', ' ', '\n', '=', '[UNREPLIED]');
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.array(token, { maxLength: 60 }).map((t) => t.join(''))), (text) => {
      for (const e of parseConntrack(text)) {
        for (const t of [e.original, e.reply]) {
          assert.ok(t.sport >= 0 && t.sport <= 65535 && t.dport >= 0 && t.dport <= 65535);
          assert.match(t.src, /^[0-9a-f.:]+$/);
        }
      }
    }),
    { numRuns: 2000 },
  );
});
