// Parses the generated ELF back with a small independent reader and, when binutils is installed,
// checks that `readelf -h -l` accepts it without warnings.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ElfIdentity } from '../core/persona.ts';
import { buildElfImage } from './elf-image.ts';

interface ParsedElf {
  cls: number; data: number; version: number; osabi: number; type: number; machine: number; eVersion: number;
  entry: number; phoff: number; shoff: number; flags: number; ehsize: number; phentsize: number; phnum: number;
  shentsize: number; shnum: number; shstrndx: number;
  loads: { offset: number; vaddr: number; filesz: number; memsz: number; flags: number }[];
}

function readElf(bytes: Uint8Array): ParsedElf {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const is64 = bytes[4] === 2;
  const le = bytes[5] === 1;
  const u16 = (o: number): number => v.getUint16(o, le);
  const u32 = (o: number): number => v.getUint32(o, le);
  const word = (o: number): number => (is64 ? Number(v.getBigUint64(o, le)) : u32(o));
  const w = is64 ? 8 : 4;
  const flagsAt = 24 + 3 * w;
  const e = {
    cls: bytes[4]!, data: bytes[5]!, version: bytes[6]!, osabi: bytes[7]!, type: u16(16), machine: u16(18), eVersion: u32(20),
    entry: word(24), phoff: word(24 + w), shoff: word(24 + 2 * w), flags: u32(flagsAt), ehsize: u16(flagsAt + 4),
    phentsize: u16(flagsAt + 6), phnum: u16(flagsAt + 8), shentsize: u16(flagsAt + 10), shnum: u16(flagsAt + 12),
    shstrndx: u16(flagsAt + 14), loads: [] as ParsedElf['loads'],
  };
  for (let i = 0; i < e.phnum; i++) {
    const at = e.phoff + i * e.phentsize;
    if (u32(at) !== 1) continue;
    e.loads.push(is64
      ? { flags: u32(at + 4), offset: word(at + 8), vaddr: word(at + 16), filesz: word(at + 32), memsz: word(at + 40) }
      : { offset: u32(at + 4), vaddr: u32(at + 8), filesz: u32(at + 16), memsz: u32(at + 20), flags: u32(at + 24) });
  }
  return e;
}

const cases: { name: string; elf: ElfIdentity }[] = [
  { name: 'ARM EABI5 soft-float', elf: { bits: 32, endian: 'little', machine: 40, flags: 0x05000200 } },
  { name: 'ARM EABI5 hard-float', elf: { bits: 32, endian: 'little', machine: 40, flags: 0x05000400 } },
  { name: 'MIPS big-endian mips1', elf: { bits: 32, endian: 'big', machine: 8, flags: 0x00001007 } },
  { name: 'MIPS little-endian mips32r2', elf: { bits: 32, endian: 'little', machine: 8, flags: 0x70001007 } },
  { name: 'AArch64', elf: { bits: 64, endian: 'little', machine: 183, flags: 0 } },
  { name: 'x86-64', elf: { bits: 64, endian: 'little', machine: 62, flags: 0 } },
];

const banner = 'BusyBox v1.20.2 (2016-07-08 13:46:15 CST)';

for (const { name, elf } of cases) {
  test(`ELF header for ${name} reads back with the persona's identity`, () => {
    const bytes = buildElfImage({ elf, size: 300_000, strings: [banner, 'wget'], seed: name });
    const e = readElf(bytes);
    assert.deepEqual([...bytes.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46]);
    assert.equal(e.cls, elf.bits === 64 ? 2 : 1);
    assert.equal(e.data, elf.endian === 'little' ? 1 : 2);
    assert.equal(e.version, 1);
    assert.equal(e.osabi, 0);
    assert.equal(e.type, 2, 'ET_EXEC');
    assert.equal(e.machine, elf.machine);
    assert.equal(e.eVersion, 1);
    assert.equal(e.flags, elf.flags);
    assert.equal(e.ehsize, elf.bits === 64 ? 64 : 52);
    assert.equal(e.phentsize, elf.bits === 64 ? 56 : 32);
    assert.equal(e.phoff, e.ehsize, 'program headers follow the ELF header');
    assert.ok(e.shoff + e.shnum * e.shentsize <= bytes.length, 'section headers lie inside the file');
    assert.ok(e.shstrndx < e.shnum);
    assert.equal(e.loads.length, 2);
    const text = e.loads[0]!;
    assert.equal(text.flags, 5, 'text segment is R+X');
    assert.ok(e.entry >= text.vaddr && e.entry < text.vaddr + text.filesz, 'entry point is inside the text segment');
    for (const load of e.loads) assert.ok(load.offset + load.filesz <= bytes.length && load.memsz >= load.filesz);
    assert.equal(bytes.length, 300_000);
    assert.ok(Buffer.from(bytes).includes(Buffer.from(`\0${banner}\0`)), 'banner is a NUL-delimited string');
  });
}

test('the same spec always gives the same bytes', () => {
  const spec = { elf: cases[0]!.elf, size: 65536, strings: [banner], seed: 'x' };
  assert.deepEqual(buildElfImage(spec), buildElfImage(spec));
});

const readelf = (() => {
  try {
    execFileSync('readelf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

test('readelf accepts every generated header without warnings', { skip: readelf ? false : 'binutils readelf not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hachi-elf-'));
  try {
    for (const { name, elf } of cases) {
      const file = join(dir, 'busybox');
      writeFileSync(file, buildElfImage({ elf, size: 200_000, strings: [banner], seed: name }));
      const out = execFileSync('readelf', ['-W', '-h', '-l', '-S', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      assert.match(out, /Type:\s+EXEC/, name);
      assert.match(out, new RegExp(`Class:\\s+ELF${elf.bits}`), name);
      assert.doesNotMatch(out, /warning|error|corrupt/i, name);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
