// detectUpx on synthetic packed files carrying UPX's real structures (l_info/p_info after the
// program headers, EOF b_info + checksummed PackHeader at the end), altered magics, PE UPX sections.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { buildElf } from '../../testing/elf-builder.ts';
import { buildUpxElf } from '../../testing/upx-sample.ts';
import { readPackHeader } from './upx-formats.ts';
import { detectUpx } from './upx.ts';

test('a UPX 3.94 linux/arm pack: l_info, PackHeader, $Info, version, format, method, size', () => {
  const info = detectUpx(buildUpxElf({ originalSize: 98_765 }));
  assert.equal(info.packed, true);
  assert.deepEqual(info.evidence, ['l_info after program headers at 116', 'PackHeader at 655', 'UPX $Info string']);
  assert.equal(info.version, '3.94');
  assert.deepEqual(info.format, { value: 23, name: 'linux/arm' });
  assert.deepEqual(info.method, { value: 8, name: 'NRV2E_LE32' });
  assert.equal(info.level, 8);
  assert.equal(info.originalSize, 98_765);
  assert.equal(info.magicAltered, false);
  assert.equal(info.magic, 'UPX!');
});

test('big-endian MIPS (format 137) and 64-bit amd64 packs', () => {
  const mips = detectUpx(buildUpxElf({ endian: 'big', machine: 8, format: 137, method: 2, originalSize: 70_000 }));
  assert.equal(mips.packed, true);
  assert.equal(mips.format?.name, 'linux/mips');
  assert.equal(mips.method?.name, 'NRV2B_LE32');
  assert.equal(mips.originalSize, 70_000);
  const amd64 = detectUpx(buildUpxElf({ bits: 64, machine: 62, format: 22, version: '4.2.2', method: 14 }));
  assert.equal(amd64.version, '4.2.2');
  assert.equal(amd64.format?.name, 'linux/amd64');
  assert.equal(amd64.method?.name, 'LZMA');
  assert.ok(amd64.evidence.some((e) => e.startsWith('l_info after program headers at 176')));
});

test('an altered magic (Mirai-style) is detected through the checksum and the matching EOF marker', () => {
  const bytes = buildUpxElf({ magic: 'YTS\x99', version: null, zeroPadding: 4096 });
  const info = detectUpx(bytes);
  assert.equal(info.packed, true);
  assert.equal(info.magicAltered, true);
  assert.equal(info.magic, 'YTS\\x99');
  assert.equal(info.version, null);
  assert.equal(info.format?.name, 'linux/arm');
  assert.equal(info.alteredMagicOffsets.length, 3);
  for (const at of info.alteredMagicOffsets) assert.deepEqual([...bytes.subarray(at, at + 4)], [0x59, 0x54, 0x53, 0x99]);
});

test('no false positives: plain ELF, bad checksum with altered magic, random data', () => {
  const plain = detectUpx(buildElf({ machine: 40, segments: [{ type: 1 }] }));
  assert.equal(plain.packed, false);
  assert.deepEqual(plain.evidence, []);
  assert.equal(plain.format, null);
  const broken = detectUpx(buildUpxElf({ magic: 'ABCD', version: null, corruptChecksum: true }));
  assert.equal(broken.packed, false);
  // With the genuine magic the l_info alone still tells, even if the PackHeader is damaged.
  const damaged = detectUpx(buildUpxElf({ corruptChecksum: true, version: null }));
  assert.deepEqual(damaged.evidence, ['l_info after program headers at 116']);
  assert.equal(damaged.method, null);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
    const r = detectUpx(bytes);
    assert.equal(r.magicAltered && !r.packed, false);
  }), { numRuns: 300 });
});

test('readPackHeader checks version, format and checksum', () => {
  const bytes = buildUpxElf();
  const at = detectUpx(bytes).evidence.find((e) => e.startsWith('PackHeader'))?.match(/\d+/)?.[0];
  const header = readPackHeader(bytes, Number(at));
  assert.equal(header?.version, 13);
  assert.equal(header?.uncompressedLength, 123_456 - 200);
  assert.equal(readPackHeader(bytes, Number(at) + 1), null);
  assert.equal(readPackHeader(bytes, bytes.length - 10), null);
  assert.equal(readPackHeader(bytes, -5), null);
});

test('PE packs: UPX0/UPX1 section names and the version tag before the PackHeader', () => {
  const pe = new Uint8Array(2048);
  const v = new DataView(pe.buffer);
  pe.set([0x4d, 0x5a]);
  v.setUint32(0x3c, 0x80, true);
  v.setUint32(0x80, 0x00004550, true);
  v.setUint16(0x86, 2, true);
  v.setUint16(0x94, 0xe0, true);
  const table = 0x80 + 24 + 0xe0;
  pe.set(new TextEncoder().encode('UPX0'), table);
  pe.set(new TextEncoder().encode('UPX1'), table + 40);
  const ph = 0x400;
  pe.set(new TextEncoder().encode('3.96\0UPX!'), ph - 5);
  pe.set([13, 9, 8, 8], ph + 4);
  let sum = 0;
  for (let i = 4; i < 31; i++) sum += pe[ph + i] ?? 0;
  pe[ph + 31] = sum % 251;
  const info = detectUpx(pe);
  assert.equal(info.packed, true);
  assert.ok(info.evidence.includes('PE sections named UPX*'));
  assert.equal(info.format?.name, 'win32/pe');
  assert.equal(info.version, '3.96');
});

test('detection looks only at the start and end windows of a large file', () => {
  const packed = buildUpxElf();
  const big = new Uint8Array(8 * 1024 * 1024);
  big.set(packed.subarray(0, 160));
  big.set(packed.subarray(packed.length - 48), big.length - 48);
  big.set(new TextEncoder().encode('$Info: This file is packed with the UPX'), 4 * 1024 * 1024);
  const info = detectUpx(big);
  assert.ok(!info.evidence.includes('UPX $Info string'));
  assert.ok(info.evidence.some((e) => e.startsWith('PackHeader')));
  const started = performance.now();
  for (let i = 0; i < 20; i++) detectUpx(big);
  assert.ok((performance.now() - started) / 20 < 5);
});
