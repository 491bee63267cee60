// parseElf on hand-assembled ELF files: every machine in the table, both classes and byte orders,
// ARM EABI and .ARM.attributes, MIPS flags, linking, stripping, and the persona busybox images.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildElfImage } from '../../personas/elf-image.ts';
import { armAttributesSection, buildElf } from '../../testing/elf-builder.ts';
import { ELF_MACHINES } from './elf-machines.ts';
import { parseElf } from './elf-report.ts';

test('every machine in the table is named, in 32/64-bit and LE/BE', () => {
  assert.ok(ELF_MACHINES.size > 100);
  for (const [machine, info] of ELF_MACHINES) {
    for (const bits of [32, 64] as const) {
      for (const endian of ['little', 'big'] as const) {
        const r = parseElf(buildElf({ machine, bits, endian, segments: [{ type: 1, flags: 5 }] }));
        assert.deepEqual(r.problems, [], `${info.name} ${bits} ${endian}`);
        assert.equal(r.machine?.value, machine);
        assert.equal(r.machine?.known, true);
        assert.equal(r.bits, bits);
        assert.equal(r.endian, endian);
        assert.ok(r.description.includes(r.machine?.name ?? '?'));
      }
    }
  }
});

test('the architectures bots target have the expected names and short tags', () => {
  const cases: [number, 32 | 64, 'little' | 'big', string, string][] = [
    [40, 32, 'little', 'ARM', 'arm'], [40, 32, 'big', 'ARM (big-endian)', 'armeb'], [183, 64, 'little', 'AArch64', 'aarch64'],
    [8, 32, 'big', 'MIPS (big-endian)', 'mips'], [8, 32, 'little', 'MIPSEL (MIPS, little-endian)', 'mipsel'],
    [8, 64, 'big', 'MIPS64 (big-endian)', 'mips64'], [3, 32, 'little', 'Intel 80386', 'x86'], [62, 64, 'little', 'x86-64', 'x86-64'],
    [20, 32, 'big', 'PowerPC', 'powerpc'], [21, 64, 'big', 'PowerPC64', 'powerpc64'], [21, 64, 'little', 'PowerPC64 (little-endian)', 'powerpc64le'],
    [2, 32, 'big', 'SPARC', 'sparc'], [43, 64, 'big', 'SPARC V9', 'sparc64'], [42, 32, 'little', 'Renesas SuperH', 'sh4'],
    [4, 32, 'big', 'Motorola m68k', 'm68k'], [45, 32, 'little', 'Argonaut RISC Core (ARC)', 'arc'], [93, 32, 'little', 'ARCompact (ARC700)', 'arc'],
    [195, 32, 'little', 'ARCv2 (ARC HS/EM)', 'arcv2'], [243, 64, 'little', 'RISC-V', 'riscv64'], [243, 32, 'little', 'RISC-V', 'riscv32'],
    [22, 64, 'big', 'IBM S/390', 's390x'], [50, 64, 'little', 'Intel IA-64', 'ia64'], [94, 32, 'little', 'Tensilica Xtensa', 'xtensa'],
    [92, 32, 'big', 'OpenRISC', 'openrisc'], [189, 32, 'big', 'Xilinx MicroBlaze', 'microblaze'], [113, 32, 'little', 'Altera Nios II', 'nios2'],
  ];
  for (const [machine, bits, endian, name, arch] of cases) {
    const r = parseElf(buildElf({ machine, bits, endian }));
    assert.equal(r.machine?.name, name, `machine ${machine}`);
    assert.equal(r.machine?.arch, arch, `machine ${machine}`);
  }
  const unknown = parseElf(buildElf({ machine: 0x7777 }));
  assert.equal(unknown.machine?.known, false);
  assert.match(unknown.machine?.name ?? '', /unknown machine 30583/);
});

test('ARM: EABI version and float ABI from e_flags, architecture from .ARM.attributes', () => {
  const archs: [number, 'A' | 'R' | 'M' | undefined, string][] = [[4, undefined, 'ARMv5TE'], [5, undefined, 'ARMv5TEJ'], [6, undefined, 'ARMv6'], [9, undefined, 'ARMv6K'], [10, 'A', 'ARMv7-A'], [14, 'A', 'ARMv8-A'], [2, undefined, 'ARMv4T']];
  for (const [cpuArch, profile, name] of archs) {
    for (const endian of ['little', 'big'] as const) {
      const attrs = armAttributesSection({ cpuArch, ...(profile === undefined ? {} : { profile }), little: endian === 'little', cpuName: 'ARM926EJ-S', fpArch: 2, vfpArgs: 1 });
      const r = parseElf(buildElf({ machine: 40, endian, flags: 0x05000400, sections: [{ name: '.ARM.attributes', type: 0x70000003, data: attrs }] }));
      assert.deepEqual(r.problems, []);
      assert.equal(r.arm?.architecture, name);
      assert.equal(r.arm?.eabiVersion, 5);
      assert.equal(r.arm?.floatAbi, 'hard');
      assert.equal(r.arm?.attributes?.cpuName, 'ARM926EJ-S');
      assert.equal(r.arm?.attributes?.fpArch, 'VFPv2');
      assert.equal(r.arm?.attributes?.hardFloatArgs, true);
      assert.ok(r.description.includes(`EABI5, ${name}, hard-float`), r.description);
    }
  }
  const oabi = parseElf(buildElf({ machine: 40, flags: 0x00000002 }));
  assert.equal(oabi.arm?.eabiVersion, 0);
  assert.equal(oabi.arm?.architecture, null);
  assert.match(oabi.description, /ARM, OABI/);
  const eabi4 = parseElf(buildElf({ machine: 40, flags: 0x04000000 }));
  assert.equal(eabi4.arm?.eabiVersion, 4);
  assert.equal(eabi4.arm?.floatAbi, null);
  assert.equal(parseElf(buildElf({ machine: 40, flags: 0x05000200 })).arm?.floatAbi, 'soft');
});

test('MIPS: ISA level, ABI and flags from e_flags; RISC-V float ABI', () => {
  const mips1 = parseElf(buildElf({ machine: 8, endian: 'big', flags: 0x00001007 }));
  assert.deepEqual(mips1.mips, { isa: 'MIPS-I', abi: 'o32', notes: ['noreorder', 'pic', 'cpic'] });
  assert.match(mips1.description, /^ELF 32-bit MSB executable, MIPS \(big-endian\), MIPS-I, o32, version 1 \(SYSV\)/);
  const r2 = parseElf(buildElf({ machine: 8, endian: 'little', flags: 0x70001005 }));
  assert.equal(r2.mips?.isa, 'MIPS32r2');
  assert.equal(r2.machine?.arch, 'mipsel');
  assert.equal(parseElf(buildElf({ machine: 8, bits: 64, flags: 0x80000027 })).mips?.abi, 'n32');
  assert.equal(parseElf(buildElf({ machine: 8, bits: 64, flags: 0x80000007 })).mips?.abi, 'n64');
  assert.equal(parseElf(buildElf({ machine: 8, flags: 0x80000000 })).mips?.isa, 'MIPS64r2');
  assert.equal(parseElf(buildElf({ machine: 8, flags: 0x90000000 })).mips?.isa, 'MIPS32r6');
  assert.deepEqual(parseElf(buildElf({ machine: 243, bits: 64, flags: 0x5 })).riscv, { floatAbi: 'double', compressed: true, rve: false });
});

test('linking, interpreter, stripping, OS/ABI, type and entry', () => {
  const dyn = parseElf(buildElf({ machine: 62, bits: 64, type: 3, osAbi: 3, entry: 0x401000, interpreter: '/lib64/ld-linux-x86-64.so.2', dynamic: true, symtab: true, segments: [{ type: 1, flags: 5 }] }));
  assert.equal(dyn.linking, 'dynamic');
  assert.equal(dyn.interpreter, '/lib64/ld-linux-x86-64.so.2');
  assert.equal(dyn.stripped, false);
  assert.equal(dyn.osAbi?.name, 'GNU/Linux');
  assert.equal(dyn.type?.name, 'DYN');
  assert.equal(dyn.entry, '0x401000');
  assert.deepEqual(dyn.segments.map((s) => s.type), ['INTERP', 'LOAD', 'DYNAMIC']);
  assert.ok(dyn.sections.some((s) => s.name === '.symtab' && s.type === 'SYMTAB'));
  assert.equal(dyn.description, 'ELF 64-bit LSB pie executable, x86-64, version 1 (GNU/Linux), dynamically linked, interpreter /lib64/ld-linux-x86-64.so.2, not stripped');

  const stat = parseElf(buildElf({ machine: 40, flags: 0x05000000, segments: [{ type: 1, flags: 5 }], sections: [{ name: '.text', type: 1, flags: 6, data: new Uint8Array(16) }] }));
  assert.equal(stat.linking, 'static');
  assert.equal(stat.stripped, true);
  assert.equal(stat.interpreter, null);
  assert.equal(stat.sections.find((s) => s.name === '.text')?.flags, 'AX');
  assert.equal(stat.segments[0]?.flags, 'R-X');

  const noSections = parseElf(buildElf({ machine: 3, sectionHeaders: false, segments: [{ type: 1 }] }));
  assert.equal(noSections.stripped, null);
  assert.equal(noSections.sectionCount, null);
  assert.match(noSections.description, /no section header/);
  const rel = parseElf(buildElf({ machine: 3, type: 1 }));
  assert.equal(rel.linking, 'unknown');
  assert.equal(rel.type?.name, 'REL');
  assert.equal(parseElf(buildElf({ machine: 62, bits: 64, entry: 0xffffffff80000000n })).entry, '0xffffffff80000000');
});

test('the persona busybox images (ARM, MIPS, AArch64) parse as static, stripped executables', () => {
  const personas = [
    { bits: 32, endian: 'little', machine: 40, flags: 0x05000200 },
    { bits: 32, endian: 'big', machine: 8, flags: 0x00001007 },
    { bits: 64, endian: 'little', machine: 183, flags: 0 },
  ] as const;
  for (const elf of personas) {
    const bytes = buildElfImage({ elf, size: 300_000, strings: ['BusyBox v1.20.2 (2016-07-08 13:46:15 CST) multi-call binary.'], seed: 'x' });
    const r = parseElf(bytes);
    assert.deepEqual(r.problems, []);
    assert.equal(r.machine?.value, elf.machine);
    assert.equal(r.bits, elf.bits);
    assert.equal(r.endian, elf.endian);
    assert.equal(r.type?.name, 'EXEC');
    assert.equal(r.linking, 'static');
    assert.equal(r.stripped, true);
    assert.deepEqual(r.sections.map((s) => s.name), ['', '.text', '.rodata', '.data', '.bss', '.shstrtab']);
    assert.deepEqual(r.segments.map((s) => s.type), ['LOAD', 'LOAD', 'GNU_STACK']);
  }
  const arm = parseElf(buildElfImage({ elf: personas[0], size: 100_000, strings: [], seed: 'y' }));
  assert.match(arm.description, /^ELF 32-bit LSB executable, ARM, EABI5, soft-float, version 1 \(SYSV\), statically linked, stripped$/);
  const mips = parseElf(buildElfImage({ elf: personas[1], size: 100_000, strings: [], seed: 'y' }));
  assert.match(mips.description, /MIPS \(big-endian\), MIPS-I, o32/);
});

test('non-ELF input gives an empty report with a problem', () => {
  for (const bytes of [new Uint8Array(0), new Uint8Array([0x7f]), new TextEncoder().encode('#!/bin/sh\n')]) {
    const r = parseElf(bytes);
    assert.equal(r.isElf, false);
    assert.deepEqual(r.problems, ['no ELF magic (7f 45 4c 46)']);
  }
});
