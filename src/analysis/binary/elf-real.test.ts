// parseElf on real binaries from the host toolchain: a tiny C program built with gcc (dynamic,
// not stripped, then stripped), a static build, and a cross-check of section names with readelf.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { detectFileType } from './file-type.ts';
import { parseElf } from './elf-report.ts';

function has(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const gcc = has('gcc') && process.arch === 'x64';
const dir = mkdtempSync(join(tmpdir(), 'hachi-elf-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function compile(name: string, extra: string[]): Uint8Array {
  const src = join(dir, 'hello.c');
  writeFileSync(src, 'int main(void) { return 0; }\n');
  execFileSync('gcc', ['-O1', '-o', join(dir, name), src, ...extra], { stdio: 'ignore' });
  return readFileSync(join(dir, name));
}

test('gcc-built x86-64 program: dynamic, interpreter, not stripped; then stripped', { skip: !gcc && 'gcc for x86-64 not available' }, () => {
  const bytes = compile('hello', []);
  const r = parseElf(bytes);
  assert.deepEqual(r.problems, []);
  assert.equal(r.bits, 64);
  assert.equal(r.endian, 'little');
  assert.equal(r.machine?.name, 'x86-64');
  assert.equal(r.linking, 'dynamic');
  assert.equal(r.interpreter, '/lib64/ld-linux-x86-64.so.2');
  assert.equal(r.stripped, false);
  assert.ok(r.segments.some((s) => s.type === 'INTERP'));
  assert.ok(r.segments.some((s) => s.type === 'GNU_STACK'));
  assert.equal(detectFileType(bytes).kind, 'elf');

  if (has('readelf')) {
    const listing = execFileSync('readelf', ['-SW', join(dir, 'hello')], { encoding: 'utf8' });
    const names = [...listing.matchAll(/^\s*\[\s*\d+\]\s+(\S+)/gm)].map((m) => m[1]);
    assert.deepEqual(r.sections.slice(1).map((s) => s.name), names.filter((n) => n !== 'NULL'));
    const entry = /Entry point address:\s+(0x[0-9a-f]+)/.exec(execFileSync('readelf', ['-h', join(dir, 'hello')], { encoding: 'utf8' }))?.[1];
    assert.equal(r.entry, entry);
  }

  execFileSync('strip', [join(dir, 'hello')]);
  const stripped = parseElf(readFileSync(join(dir, 'hello')));
  assert.deepEqual(stripped.problems, []);
  assert.equal(stripped.stripped, true);
  assert.equal(stripped.interpreter, '/lib64/ld-linux-x86-64.so.2');
  assert.match(stripped.description, /^ELF 64-bit LSB pie executable, x86-64, version 1 \(SYSV\), dynamically linked, interpreter \/lib64\/ld-linux-x86-64.so.2, stripped$/);
});

test('gcc -static build is statically linked with no interpreter', { skip: !gcc && 'gcc for x86-64 not available' }, (t) => {
  let bytes: Uint8Array;
  try {
    bytes = compile('hello-static', ['-static']);
  } catch {
    t.skip('static libc not installed');
    return;
  }
  const r = parseElf(bytes);
  assert.deepEqual(r.problems, []);
  assert.equal(r.linking, 'static');
  assert.equal(r.interpreter, null);
  assert.equal(r.type?.name, 'EXEC');
});
