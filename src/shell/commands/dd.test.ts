// dd: the 52-byte ELF header probe, skip/seek/notrunc, records summary and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, runCommand } from '../../testing/command-harness.ts';

test('dd bs=52 count=1 reads the ELF header of /bin/echo with BusyBox summary', async () => {
  const r = await runCommand(['dd', 'bs=52', 'count=1', 'if=/bin/echo']);
  assert.equal(r.stdoutBytes.length, 52);
  assert.deepEqual([...r.stdoutBytes.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46]);
  assert.equal(r.stdoutBytes[18], 40);
  assert.match(r.stderr, /^1\+0 records in\n1\+0 records out\n52 bytes \(52B\) copied, 0\.\d{6} seconds, [\d.]+[KMG]?B\/s\n$/);
});

test('dd counts partial records and writes with skip, seek and conv=notrunc', async () => {
  const h = createHarness({ cwd: '/tmp' });
  await h.run(['dd', 'of=a', 'status=none'], { stdin: 'hello world 12345\n' });
  const partial = await h.run(['dd', 'if=a', 'ibs=3', 'obs=5', 'count=2', 'status=noxfer']);
  assert.equal(partial.stdout, 'hello ');
  assert.equal(partial.stderr, '2+0 records in\n1+1 records out\n');
  await h.run(['dd', 'if=a', 'of=b', 'bs=5', 'skip=1', 'count=1']);
  assert.equal(new TextDecoder().decode(h.fs.readFile('/tmp/b')), ' worl');
  await h.run(['dd', 'if=a', 'of=b', 'bs=4', 'seek=1', 'conv=notrunc', 'count=1']);
  assert.equal(new TextDecoder().decode(h.fs.readFile('/tmp/b')), ' worhell');
  const zero = await h.run(['dd', 'if=/dev/zero', 'of=z', 'bs=1k', 'count=2']);
  assert.equal(h.fs.readFile('/tmp/z').length, 2048);
  assert.match(zero.stderr, /2048 bytes \(2\.0K\B\) copied|2048 bytes \(2\.0KB\) copied/);
});

test('dd errors: missing input, bad number, unknown operand shows usage', async () => {
  assert.equal((await runCommand(['dd', 'if=x'])).stderr, "dd: can't open 'x': No such file or directory\n");
  assert.equal((await runCommand(['dd', 'bs=abc'])).stderr, "dd: invalid number 'abc'\n");
  const usage = await runCommand(['dd', 'foo=bar']);
  assert.equal(usage.status, 1);
  assert.match(usage.stderr, /Usage: dd \[if=FILE\]/);
});
