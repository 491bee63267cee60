// echo and printf: escapes, options and formats, checked against Debian's busybox when installed,
// plus a property test that random input never throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { runCommand } from '../../testing/command-harness.ts';

const realBusybox = existsSync('/usr/bin/busybox') ? '/usr/bin/busybox' : null;

async function bytes(argv: string[]): Promise<number[]> {
  return [...(await runCommand(argv)).stdoutBytes];
}

test('echo -ne writes exact bytes for \\x and octal escapes (dropper chunks)', async () => {
  assert.deepEqual(await bytes(['echo', '-ne', '\\x7f\\x45\\x4c\\x46\\x01\\x00']), [0x7f, 0x45, 0x4c, 0x46, 1, 0]);
  assert.deepEqual(await bytes(['echo', '-e', '\\0101\\101']), [65, 65, 10]);
  assert.deepEqual(await bytes(['echo', '-e', '\\777']), [0x3f, 0x37, 10]);
  assert.deepEqual(await bytes(['echo', '-e', 'a\\cb', 'c']), [97]);
  assert.deepEqual(await bytes(['echo', '-n', '-x', 'a']), [...Buffer.from('-x a')]);
  assert.deepEqual(await bytes(['echo', '\\x41']), [...Buffer.from('\\x41\n')]);
  assert.deepEqual(await bytes(['echo', '-eE', '\\x41']), [65, 10]);
  assert.deepEqual(await bytes(['echo']), [10]);
});

test('printf formats numbers, strings, %b and reuses the format', async () => {
  const out = async (argv: string[]): Promise<string> => (await runCommand(argv)).stdout;
  assert.equal(await out(['printf', '%s-%d|%5s|%-3s|%x %o %X %c\n', 'a', '42', 'b', 'c', '255', '8', '255', 'xyz']), 'a-42|    b|c  |ff 10 FF x\n');
  assert.equal(await out(['printf', '%s %s\n', 'a', 'b', 'c']), 'a b\nc \n');
  assert.equal(await out(['printf', '%05d|%.2s|%+d\n', '42', 'abc', '7']), '00042|ab|+7\n');
  assert.equal(await out(['printf', '%d %d %d\n', "'A", '0x10', '010']), '65 16 8\n');
  assert.equal(await out(['printf', '%b|\n', 'a\\cb', 'c']), 'a');
  assert.equal(await out(['printf', 'x\\cy']), 'x');
  assert.equal(await out(['printf', '%%\n']), '%\n');
  const bad = await runCommand(['printf', '%d\n', 'abc']);
  assert.equal(bad.stdout, '0\n');
  assert.equal(bad.stderr, "printf: invalid number 'abc'\n");
  assert.equal(bad.status, 1);
  const invalid = await runCommand(['printf', '%q\\n']);
  assert.equal(invalid.stderr, 'printf: %q\\n: invalid format\n');
  const usage = await runCommand(['printf']);
  assert.equal(usage.status, 1);
  assert.match(usage.stderr, /^BusyBox v1\.20\.2 .*\n\nUsage: printf FORMAT/);
});

test('echo and printf match the real busybox byte for byte', { skip: realBusybox === null }, async () => {
  const cases: string[][] = [
    ['echo', '-e', '\\x41\\x4'], ['echo', '-e', '\\xg'], ['echo', '-ne', '\\0\\08'], ['echo', '-e', '\\e\\q\\\\'], ['echo', '-n', '-e', 'tab\\there'],
    ['echo', '--', 'a'], ['echo', '-nn', 'x'], ['printf', '\\101\\0101\\n'], ['printf', '%5.1f|%e|%g\\n', '3.14159', '1234.5', '0.0001'],
    ['printf', '%x %s\\n', '-1', 'z'], ['printf', '%i %u\\n', '-5', '7'], ['printf', '[%8.3s]\\n', 'abcdef'], ['printf', '%#x %#o\\n', '255', '8'],
  ];
  for (const argv of cases) {
    const real = spawnSync(realBusybox ?? '', argv, { encoding: 'buffer' });
    const ours = await runCommand(argv);
    assert.deepEqual([...ours.stdoutBytes], [...real.stdout], `stdout of ${JSON.stringify(argv)}`);
    assert.equal(ours.status, real.status, `status of ${JSON.stringify(argv)}`);
  }
});

test('random escapes and formats never throw', async () => {
  const piece = fc.oneof(fc.constantFrom('\\', '\\x', '\\0', '\\c', '%', '%d', '%s', '%b', '%*', '%.', '%-0', 'x', '7', 'f'), fc.string({ maxLength: 4 }));
  await fc.assert(
    fc.asyncProperty(fc.array(piece, { maxLength: 12 }), fc.array(fc.string({ maxLength: 6 }), { maxLength: 4 }), async (parts, args) => {
      const text = parts.join('');
      const e = await runCommand(['echo', '-ne', text, ...args]);
      assert.equal(e.status, 0);
      const p = await runCommand(['printf', text, ...args]);
      assert.ok(p.status === 0 || p.status === 1);
    }),
    { numRuns: 300 },
  );
});
