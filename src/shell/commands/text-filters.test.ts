// head, tail, grep, wc, cut, tr, sed: output and messages as BusyBox 1.35 prints them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, runCommand } from '../../testing/command-harness.ts';

const lines = 'one two\nthree\nfour five six\n';

test('head and tail by lines and bytes, headers and errors', async () => {
  const run = async (argv: string[]): Promise<string> => (await runCommand(argv, { stdin: lines })).stdout;
  assert.equal(await run(['head', '-n', '1']), 'one two\n');
  assert.equal(await run(['head', '-2']), 'one two\nthree\n');
  assert.equal(await run(['head', '-c', '3']), 'one');
  assert.equal(await run(['head', '-n', '-1']), 'one two\nthree\n');
  assert.equal(await run(['tail', '-n', '1']), 'four five six\n');
  assert.equal(await run(['tail', '-n', '+2']), 'three\nfour five six\n');
  assert.equal(await run(['tail', '-c', '4']), 'six\n');
  assert.equal((await runCommand(['head', 'nope'])).stderr, 'head: nope: No such file or directory\n');
  assert.equal((await runCommand(['head', '-n', 'x'])).stderr, "head: invalid number 'x'\n");
  assert.equal((await runCommand(['tail', 'nope'])).stderr, "tail: can't open 'nope': No such file or directory\ntail: no files\n");
  assert.equal((await runCommand(['head', '-n', '1', '/etc/group', '/etc/passwd'])).stdout, '==> /etc/group <==\nroot:x:0:\n\n==> /etc/passwd <==\nroot:x:0:0:root:/root:/bin/sh\n');
});

test('grep: -i -v -c -q -n -E, file names, status codes', async () => {
  const run = (argv: string[]) => runCommand(argv, { stdin: lines });
  assert.equal((await run(['grep', 'o'])).stdout, 'one two\nfour five six\n');
  assert.equal((await run(['grep', '-v', 'o'])).stdout, 'three\n');
  assert.equal((await run(['grep', '-c', 'e'])).stdout, '3\n');
  assert.equal((await run(['grep', '-i', 'THREE'])).stdout, 'three\n');
  assert.equal((await run(['grep', '-n', 'f'])).stdout, '3:four five six\n');
  assert.equal((await run(['grep', '-E', 'two|six'])).stdout, 'one two\nfour five six\n');
  assert.equal((await run(['grep', 'two\\|six'])).stdout, 'one two\nfour five six\n');
  assert.equal((await run(['grep', '^t.r'])).stdout, 'three\n');
  assert.equal((await run(['grep', '-q', 'zzz'])).status, 1);
  assert.equal((await run(['grep', '-q', 'one'])).stdout, '');
  assert.equal((await runCommand(['grep', '-c', 'processor', '/proc/cpuinfo'])).stdout, '2\n');
  assert.equal((await runCommand(['grep', 'root', '/etc/passwd', '/etc/group'])).stdout, '/etc/passwd:root:x:0:0:root:/root:/bin/sh\n/etc/group:root:x:0:\n');
  const missing = await runCommand(['grep', 'q', 'x']);
  assert.equal(missing.stderr, 'grep: x: No such file or directory\n');
  assert.equal(missing.status, 2);
});

test('grep refuses patterns that could backtrack without blocking', async () => {
  const started = Date.now();
  const r = await runCommand(['grep', '-E', '(a+)+$'], { stdin: `${'a'.repeat(5000)}b\n` });
  assert.equal(r.status, 1);
  assert.ok(Date.now() - started < 1000);
});

test('wc columns: one count bare, several in %9u columns, totals', async () => {
  assert.equal((await runCommand(['wc', '-l'], { stdin: lines })).stdout, '3\n');
  assert.equal((await runCommand(['wc'], { stdin: lines })).stdout, '        3         6        28\n');
  const h = createHarness();
  assert.equal((await h.run(['wc', '-l', '/etc/group'])).stdout, '2 /etc/group\n');
  assert.equal((await h.run(['wc', '-lc', '/etc/group', '/etc/group'])).stdout, '        2        24 /etc/group\n        2        24 /etc/group\n        4        48 total\n');
  assert.equal((await h.run(['wc', 'x'])).stderr, 'wc: x: No such file or directory\n');
});

test('cut fields and characters', async () => {
  assert.equal((await runCommand(['cut', '-d', ':', '-f', '1,3', '/etc/passwd'])).stdout, 'root:0\nadmin:1000\n');
  assert.equal((await runCommand(['cut', '-c', '1-3'], { stdin: lines })).stdout, 'one\nthr\nfou\n');
  assert.equal((await runCommand(['cut', '-d', ' ', '-f', '2'], { stdin: lines })).stdout, 'two\nthree\nfive\n');
  assert.equal((await runCommand(['cut', '-f', '2', '-s', '-d', ' '], { stdin: lines })).stdout, 'two\nfive\n');
  assert.equal((await runCommand(['cut', 'x'])).stderr, 'cut: expected a list of bytes, characters, or fields\n');
});

test('tr ranges, classes, -d, -s', async () => {
  assert.equal((await runCommand(['tr', 'a-c', 'A-C'], { stdin: 'abcd' })).stdout, 'ABCd');
  assert.equal((await runCommand(['tr', '-d', 'l'], { stdin: 'hello\n' })).stdout, 'heo\n');
  assert.equal((await runCommand(['tr', '-s', 'ab'], { stdin: 'aabb\n' })).stdout, 'ab\n');
  assert.equal((await runCommand(['tr', '[:lower:]', '[:upper:]'], { stdin: 'abc' })).stdout, 'ABC');
  assert.equal((await runCommand(['tr', '\\n', ' '], { stdin: 'a\nb\n' })).stdout, 'a b ');
  assert.equal((await runCommand(['tr'])).status, 1);
});

test('sed s///g, -n p, addresses, d, -i', async () => {
  const run = async (argv: string[]): Promise<string> => (await runCommand(argv, { stdin: lines })).stdout;
  assert.equal(await run(['sed', 's/o/0/']), '0ne two\nthree\nf0ur five six\n');
  assert.equal(await run(['sed', 's/o/0/g']), '0ne tw0\nthree\nf0ur five six\n');
  assert.equal(await run(['sed', '-n', '2p']), 'three\n');
  assert.equal(await run(['sed', '-n', '/f/p']), 'four five six\n');
  assert.equal(await run(['sed', '1d']), 'three\nfour five six\n');
  assert.equal(await run(['sed', '-e', 's/\\(t\\)w/[\\1]/', '-n', '-e', 'p']), 'one [t]o\nthree\nfour five six\n');
  assert.equal(await run(['sed', '-n', 's/three/3/p']), '3\n');
  assert.equal(await run(['sed', '-E', 's/(o)(n)/\\2\\1&/']), 'noone two\nthree\nfour five six\n');
  assert.equal(await run(['sed', '2,3d']), 'one two\n');
  assert.equal(await run(['sed', '$d']), 'one two\nthree\n');
  assert.equal(await run(['sed', '2q']), 'one two\nthree\n');
  const h = createHarness();
  await h.run(['sed', '-i', 's/root/toor/', '/etc/group']);
  assert.equal(new TextDecoder().decode(h.fs.readFile('/etc/group')), 'toor:x:0:\nadmin:x:1000:\n');
  assert.equal((await runCommand(['sed', 's/a'])).stderr, "sed: unmatched '/'\n");
  assert.equal((await runCommand(['sed', 's/a/b/', 'x'])).stderr, 'sed: x: No such file or directory\n');
});
