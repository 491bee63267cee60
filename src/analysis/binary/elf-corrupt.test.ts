// parseElf on broken input: truncated headers, tables past the end, bad indices, huge counts,
// zero sizes, and (fast-check) random bytes and mutations of a valid ELF: never a throw, always fast.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { armAttributesSection, buildElf } from '../../testing/elf-builder.ts';
import { parseElf } from './elf-report.ts';

const valid = buildElf({
  machine: 40, flags: 0x05000400, interpreter: '/lib/ld-linux.so.3', dynamic: true, symtab: true, segments: [{ type: 1, flags: 5 }],
  sections: [{ name: '.text', type: 1, flags: 6, data: new Uint8Array(64) }, { name: '.ARM.attributes', type: 0x70000003, data: armAttributesSection({ cpuArch: 10, profile: 'A' }) }],
});
const valid64 = buildElf({ machine: 62, bits: 64, interpreter: '/lib64/ld-linux-x86-64.so.2', symtab: true, segments: [{ type: 1, flags: 5 }] });

function patch(bytes: Uint8Array, edit: (v: DataView) => void): Uint8Array {
  const copy = bytes.slice();
  edit(new DataView(copy.buffer));
  return copy;
}

test('a bare 52-byte header still gives class, endianness, machine, entry', () => {
  const header = valid.slice(0, 52);
  const r = parseElf(header);
  assert.equal(r.bits, 32);
  assert.equal(r.endian, 'little');
  assert.equal(r.machine?.name, 'ARM');
  assert.equal(r.entry, '0x10000');
  assert.equal(r.arm?.eabiVersion, 5);
  assert.ok(r.problems.some((p) => p.includes('program header table at offset 52 lies past the end')));
  assert.ok(r.problems.some((p) => p.includes('section header table at offset')));
});

test('every truncation of a valid file reports what is present and never throws', () => {
  for (const source of [valid, valid64]) {
    for (let n = 0; n <= source.length; n++) {
      const r = parseElf(source.subarray(0, n));
      assert.ok(r.problems.every((p) => !p.startsWith('internal')), `length ${n}: ${r.problems.join('; ')}`);
      if (n >= 20) assert.equal(r.machine?.value, source === valid ? 40 : 62);
    }
  }
  const cut = parseElf(valid.subarray(0, 26));
  assert.ok(cut.problems.includes('ELF header truncated: 26 of 52 bytes present'));
  assert.equal(cut.entry, null);
  assert.equal(cut.machine?.value, 40);
});

test('section table past the end, e_shstrndx out of range, huge e_shnum, zero entry sizes', () => {
  const pastEnd = parseElf(patch(valid, (v) => v.setUint32(32, valid.length + 1000, true)));
  assert.ok(pastEnd.problems.some((p) => /section header table at offset \d+ lies past the end/.test(p)));
  assert.equal(pastEnd.interpreter, '/lib/ld-linux.so.3');
  assert.equal(pastEnd.stripped, null);

  const badStr = parseElf(patch(valid, (v) => v.setUint16(50, 999, true)));
  assert.ok(badStr.problems.some((p) => p.startsWith('e_shstrndx 999 is out of range')));
  assert.ok(badStr.sections.every((s) => s.name === null));
  assert.equal(badStr.stripped, null);

  const huge = parseElf(patch(valid, (v) => v.setUint16(48, 0xfff0, true)));
  assert.ok(huge.problems.some((p) => p.startsWith('section header table truncated: 65520 declared')));
  assert.ok(huge.problems.some((p) => p.startsWith('65520 sections declared; only the first 4096')));

  const zeroEnt = parseElf(patch(valid, (v) => { v.setUint16(46, 0, true); v.setUint16(42, 0, true); }));
  assert.ok(zeroEnt.problems.some((p) => p.startsWith('e_shentsize 0 is smaller')));
  assert.ok(zeroEnt.problems.some((p) => p.startsWith('e_phentsize 0 is smaller')));
  assert.equal(zeroEnt.machine?.name, 'ARM');

  const noShoff = parseElf(patch(valid, (v) => v.setUint32(32, 0, true)));
  assert.ok(noShoff.problems.some((p) => p.includes('but e_shoff is 0')));
});

test('program headers past the end, interpreter out of range, bad class/data bytes', () => {
  const phPast = parseElf(patch(valid, (v) => v.setUint32(28, 0x7ffffff0, true)));
  assert.ok(phPast.problems.some((p) => p.startsWith('program header table at offset')));
  assert.equal(phPast.linking, 'unknown');

  const interpPast = parseElf(patch(valid, (v) => v.setUint32(52 + 4, 0x00ffffff, true)));
  assert.ok(interpPast.problems.some((p) => p.startsWith('PT_INTERP at offset')));
  assert.equal(interpPast.interpreter, null);
  assert.equal(interpPast.linking, 'dynamic');

  const badClass = parseElf(patch(valid, (v) => v.setUint8(4, 7)));
  assert.ok(badClass.problems.includes('invalid EI_CLASS 7; guessed 32-bit'));
  assert.equal(badClass.machine?.name, 'ARM');
  const badData = parseElf(patch(valid, (v) => v.setUint8(5, 0)));
  assert.ok(badData.problems.includes('invalid EI_DATA 0; guessed little-endian'));
  assert.equal(badData.machine?.name, 'ARM');
  const beGuess = parseElf(patch(buildElf({ machine: 8, endian: 'big' }), (v) => v.setUint8(5, 9)));
  assert.equal(beGuess.endian, 'big');
  assert.equal(beGuess.machine?.value, 8);
  const badVersion = parseElf(patch(valid, (v) => { v.setUint32(20, 7, true); v.setUint16(40, 99, true); }));
  assert.ok(badVersion.problems.includes('e_version is 7, expected 1'));
  assert.ok(badVersion.problems.includes('e_ehsize is 99, expected 52'));
});

test('extended numbering (e_shnum 0, SHN_XINDEX) is followed through section 0', () => {
  const shoff = new DataView(valid.buffer).getUint32(32, true);
  const shnum = new DataView(valid.buffer).getUint16(48, true);
  const shstrndx = new DataView(valid.buffer).getUint16(50, true);
  const ext = patch(valid, (v) => {
    v.setUint16(48, 0, true);
    v.setUint16(50, 0xffff, true);
    v.setUint32(shoff + 20, shnum, true); // section 0 sh_size = real count
    v.setUint32(shoff + 24, shstrndx, true); // section 0 sh_link = real string table index
  });
  const r = parseElf(ext);
  assert.equal(r.sectionCount, shnum);
  assert.ok(r.sections.some((s) => s.name === '.symtab'));
});

test('corrupt .ARM.attributes is reported, not trusted', () => {
  const bad = new Uint8Array([0x41, 0xff, 0xff, 0xff, 0x7f, 0x61, 0x65]);
  const r = parseElf(buildElf({ machine: 40, flags: 0x05000000, sections: [{ name: '.ARM.attributes', type: 0x70000003, data: bad }] }));
  assert.equal(r.arm?.architecture, null);
  assert.ok(r.problems.some((p) => p.includes('.ARM.attributes subsection at 1 is truncated')));
  const notA = parseElf(buildElf({ machine: 40, sections: [{ name: '.ARM.attributes', type: 0x70000003, data: new Uint8Array([0x42, 1, 2]) }] }));
  assert.ok(notA.problems.includes('.ARM.attributes does not start with format version "A"'));
});

test('hostile names are escaped, not passed through', () => {
  const r = parseElf(buildElf({ machine: 3, interpreter: '/lib/\x1b[31mld\u0007.so', sections: [{ name: 'a\\b\x1b]0;x', type: 1 }] }));
  assert.equal(r.interpreter, '/lib/\\x1b[31mld\\x07.so');
  assert.ok(r.sections.some((s) => s.name === 'a\\x5cb\\x1b]0;x'));
});

test('property: random bytes with an ELF prefix never throw and finish quickly', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom(1, 2, 0, 3), fc.constantFrom(1, 2, 0), (body, cls, data) => {
      const bytes = new Uint8Array(body.length + 6);
      bytes.set([0x7f, 0x45, 0x4c, 0x46, cls, data], 0);
      bytes.set(body, 6);
      const started = performance.now();
      const r = parseElf(bytes);
      assert.ok(performance.now() - started < 50);
      assert.ok(r.problems.every((p) => !p.startsWith('internal')), r.problems.join('; '));
      JSON.stringify(r);
    }),
    { numRuns: 400 },
  );
});

test('property: mutations and truncations of valid files never throw', () => {
  const mutation = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 24 });
  fc.assert(
    fc.property(fc.constantFrom(valid, valid64), mutation, fc.nat(), (source, edits, cut) => {
      const bytes = source.slice(0, source.length - (cut % (source.length + 1)));
      for (const [at, value] of edits) if (bytes.length > 0) bytes[at % bytes.length] = value;
      const started = performance.now();
      const r = parseElf(bytes);
      assert.ok(performance.now() - started < 50);
      assert.ok(r.problems.every((p) => !p.startsWith('internal')), r.problems.join('; '));
      assert.ok(r.sections.length <= 256 && r.segments.length <= 256 && r.problems.length <= 65);
      JSON.stringify(r);
    }),
    { numRuns: 1500 },
  );
});

test('a 1 MB binary parses well under a millisecond (header path does not scan the body)', () => {
  const big = buildElf({ machine: 40, flags: 0x05000000, symtab: true, segments: [{ type: 1, flags: 5 }], sections: [{ name: '.text', type: 1, flags: 6, data: new Uint8Array(1024 * 1024) }] });
  for (let i = 0; i < 50; i++) parseElf(big);
  const runs = 500;
  const started = performance.now();
  for (let i = 0; i < runs; i++) parseElf(big);
  const each = (performance.now() - started) / runs;
  assert.ok(each < 0.5, `${each.toFixed(4)} ms per parse`);
});
