// Tests for Mirai configuration extraction on synthetic tables: the key is found for the public key and
// a variant's, C2 and scan callback are decoded, benign input gives nothing, 1 MB stays fast.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { concat, elfHeader, filler, miraiLikeSample, xorTable } from '../../testing/fake-samples.ts';
import { foldTableKey } from './mirai-known.ts';
import { extractMiraiConfig } from './mirai-table.ts';

const c2 = { cnc: 'cnc.example.net', cncPort: 23, report: 'report.example.net', reportPort: 48101 };

test('table_key 0xdeadbeef folds to 0x22, Masuta 0xdedeffba to 0x45', () => {
  assert.equal(foldTableKey(0xdeadbeef), 0x22);
  assert.equal(foldTableKey(0xdedeffba), 0x45);
});

test('public-source key: C2, scan callback, killer and scanner strings are decoded', () => {
  const config = extractMiraiConfig(miraiLikeSample(0x22, c2));
  assert.ok(config);
  assert.equal(config.key, 0x22);
  assert.deepEqual(config.tableKeyCandidates, ['0xdeadbeef (Mirai (public source))']);
  assert.deepEqual(config.cnc, { domain: 'cnc.example.net', port: 23 });
  assert.deepEqual(config.scanCallback, { domain: 'report.example.net', port: 48101 });
  for (const s of ['/proc/', '/exe', ' (deleted)', '/fd', '.anime', 'zollard', 'https://youtu.be/dQw4w9WgXcQ']) assert.ok(config.killer.includes(s), s);
  for (const s of ['shell', 'enable', 'system', 'sh', 'ncorrect', '/bin/busybox MIRAI', 'MIRAI: applet not found']) assert.ok(config.scanner.includes(s), s);
  assert.ok(config.attack.includes('TSource Engine Query'));
  assert.deepEqual(config.other, ['listening tun0']);
  assert.equal(config.entries.length, 31);
  assert.ok(config.evidence.length >= 10);
});

test('a variant key (0x5c) and an IP C2 are found the same way', () => {
  const config = extractMiraiConfig(miraiLikeSample(0x5c, { ...c2, cnc: '203.0.113.7', cncPort: 1312, brand: 'OWARI' }));
  assert.ok(config);
  assert.equal(config.key, 0x5c);
  assert.deepEqual(config.tableKeyCandidates, []);
  assert.deepEqual(config.cnc, { domain: '203.0.113.7', port: 1312 });
  assert.ok(config.scanner.includes('OWARI: applet not found'));
});

test('Masuta layout: a lone C2 port before the only host, which is the scan callback', () => {
  const table = xorTable([{ port: 127 }, 'nexusiotsolutions.net', { port: 48101 }, 'shell', 'enable', 'system', 'sh', '/bin/busybox MASUTA', 'MASUTA: applet not found', 'ncorrect', '/proc/', '/exe'], 0x45);
  const config = extractMiraiConfig(concat([elfHeader(), filler(5000, 9), new Uint8Array(8), table, new Uint8Array(8), filler(5000, 10)]));
  assert.ok(config);
  assert.equal(config.key, 0x45);
  assert.deepEqual(config.tableKeyCandidates, ['0xdedeffba (Masuta)']);
  assert.deepEqual(config.cnc, { domain: null, port: 127 });
  assert.deepEqual(config.scanCallback, { domain: 'nexusiotsolutions.net', port: 48101 });
});

test('benign and plain-text input gives no configuration', () => {
  assert.equal(extractMiraiConfig(new Uint8Array(readFileSync('/bin/ls'))), null);
  // The known strings in plain text are key 0: an ordinary binary, not a table.
  assert.equal(extractMiraiConfig(Buffer.from('/proc/\0/exe\0shell\0enable\0system\0ncorrect\0TSource Engine Query\0')), null);
  assert.equal(extractMiraiConfig(new Uint8Array(0)), null);
});

test('1 MB with a table inside is decoded well within the time budget; random bytes never throw', () => {
  const big = concat([elfHeader(), filler(512 * 1024, 1), miraiLikeSample(0x22, c2).subarray(52), filler(480 * 1024, 2)]);
  extractMiraiConfig(big);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    assert.equal(extractMiraiConfig(big)?.cnc.domain, 'cnc.example.net');
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  // 20 ms is the target on an idle machine; the bound allows for a loaded CI box.
  assert.ok(times[2]! < 100, `median ${times[2]} ms`);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 4096 }), (data) => extractMiraiConfig(data) === null || true), { numRuns: 200 });
});
