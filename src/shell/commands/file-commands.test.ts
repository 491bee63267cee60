// cat, ls, pwd, cp, mv, rm, mkdir, chmod, touch, ln over the test persona's tree, with BusyBox's
// exact error messages, and capture of dropped files before they are deleted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, runCommand } from '../../testing/command-harness.ts';

test('cat prints files and stdin, and BusyBox errors', async () => {
  assert.match((await runCommand(['cat', '/etc/passwd'])).stdout, /^root:x:0:0/);
  assert.equal((await runCommand(['cat'], { stdin: 'piped' })).stdout, 'piped');
  const missing = await runCommand(['cat', 'x']);
  assert.equal(missing.stderr, "cat: can't open 'x': No such file or directory\n");
  assert.equal(missing.status, 1);
  assert.equal((await runCommand(['cat', '/etc'])).stderr, 'cat: read error: Is a directory\n');
  assert.deepEqual([...(await runCommand(['cat', '/bin/echo'])).stdoutBytes.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46]);
  assert.equal((await runCommand(['cat', '-n'], { stdin: 'a\nb\n' })).stdout, '     1\ta\n     2\tb\n');
});

test('ls lists names, -a dot entries, -l BusyBox long format with owner names', async () => {
  const h = createHarness();
  assert.equal((await h.run(['ls', '/etc'])).stdout, 'group\npasswd\n');
  assert.equal((await h.run(['ls', '-a', '/etc'])).stdout, '.\n..\ngroup\npasswd\n');
  const long = await h.run(['ls', '-l', '/bin']);
  assert.equal(
    long.stdout,
    'total 4\n-rwxr-xr-x    1 root     root           128 Jan  2 03:04 busybox\nlrwxrwxrwx    1 root     root             7 Jan  2 03:04 echo -> busybox\nlrwxrwxrwx    1 root     root             7 Jan  2 03:04 ls -> busybox\nlrwxrwxrwx    1 root     root             7 Jan  2 03:04 sh -> busybox\n',
  );
  assert.match((await h.run(['ls', '-ld', '/home/admin'])).stdout, /^drwxr-xr-x {4}2 admin {4}admin {9}4096 Jan {2}2 03:04 \/home\/admin\n$/);
  assert.match((await h.run(['ls', '-l', '/dev/null'])).stdout, /^crw-rw-rw- {4}1 root {5}root {8}1, {3}3 /);
  const missing = await h.run(['ls', 'nope', '/etc/passwd']);
  assert.equal(missing.stderr, 'ls: nope: No such file or directory\n');
  assert.equal(missing.stdout, '/etc/passwd\n');
  assert.equal(missing.status, 1);
  assert.equal((await h.run(['ls', '-z'])).stderr.split('\n')[0], "ls: invalid option -- 'z'");
  assert.equal((await h.run(['ls', '/tmp', '/etc'])).stdout, '/etc:\ngroup\npasswd\n\n/tmp:\n');
});

test('pwd prints the cwd', async () => {
  assert.equal((await runCommand(['pwd'])).stdout, '/root\n');
});

test('the Mirai sequence: cp /bin/echo, chmod 777, dropped file is dirty and captured on rm', async () => {
  const h = createHarness({ cwd: '/tmp' });
  assert.equal((await h.run(['cp', '/bin/echo', 'dvrHelper'])).status, 0);
  assert.equal((await h.run(['chmod', '777', 'dvrHelper'])).status, 0);
  const node = h.fs.stat('/tmp/dvrHelper');
  assert.equal(node?.kind === 'file' ? node.mode : 0, 0o777);
  assert.equal(h.fs.isDirty('/tmp/dvrHelper'), true);
  assert.equal((await h.run(['rm', 'dvrHelper'])).status, 0);
  assert.deepEqual(h.emitter.captured.map((c) => [c.path, c.reason, c.bytes.length]), [['/tmp/dvrHelper', 'delete', 128]]);
});

test('cp, mv, rm, mkdir, touch, ln report errors like BusyBox', async () => {
  const h = createHarness({ cwd: '/tmp' });
  const err = async (argv: string[]): Promise<string> => (await h.run(argv)).stderr;
  assert.equal(await err(['cp', 'x', 'y']), "cp: can't stat 'x': No such file or directory\n");
  assert.equal(await err(['cp', '/etc', 'y']), "cp: omitting directory '/etc'\n");
  assert.equal(await err(['cp', '/etc/passwd', 'nodir/x']), "cp: can't create 'nodir/x': No such file or directory\n");
  assert.equal(await err(['mv', 'x', 'y']), "mv: can't rename 'x': No such file or directory\n");
  assert.equal(await err(['rm', 'x']), "rm: can't remove 'x': No such file or directory\n");
  assert.equal(await err(['rm', '-f', 'x']), '');
  assert.equal(await err(['rm', '/etc']), "rm: '/etc' is a directory\n");
  assert.equal(await err(['mkdir', 'a']), '');
  assert.equal(await err(['mkdir', 'a']), "mkdir: can't create directory 'a': File exists\n");
  assert.equal(await err(['mkdir', 'b/c']), "mkdir: can't create directory 'b/c': No such file or directory\n");
  assert.equal(await err(['touch', 'b/c']), 'touch: b/c: No such file or directory\n');
  assert.equal(await err(['chmod', '777', 'x']), 'chmod: x: No such file or directory\n');
  assert.equal(await err(['chmod', 'abc', '/etc/passwd']), "chmod: invalid mode 'abc'\n");
  assert.equal(await err(['ln', '-s', '/etc/passwd', 'a']), '');
  assert.equal(await err(['ln', '-s', '/etc/passwd', 'l']), '');
  assert.equal(await err(['ln', '-s', '/etc/passwd', 'l']), 'ln: l: File exists\n');
  assert.match((await h.run(['rm'])).stderr, /Usage: rm \[-irf\] FILE\.\.\./);
});

test('cp -r, mv into a directory, rm -r, mkdir -p, chmod symbolic, touch', async () => {
  const h = createHarness({ cwd: '/tmp' });
  await h.run(['mkdir', '-p', 'a/b/c']);
  await h.run(['touch', 'a/b/c/f']);
  await h.run(['cp', '-r', 'a', 'copy']);
  assert.equal(h.fs.stat('/tmp/copy/b/c/f')?.kind, 'file');
  await h.run(['mv', 'copy', 'a']);
  assert.equal(h.fs.stat('/tmp/a/copy/b/c/f')?.kind, 'file');
  await h.run(['rm', '-rf', 'a']);
  assert.equal(h.fs.stat('/tmp/a'), null);
  await h.run(['touch', 'x']);
  await h.run(['chmod', '+x', 'x']);
  await h.run(['chmod', 'go-r', 'x']);
  const node = h.fs.stat('/tmp/x');
  assert.equal(node?.kind === 'file' ? node.mode : 0, 0o711);
  await h.run(['chmod', 'u=rw,g=r', 'x']);
  const after = h.fs.stat('/tmp/x');
  assert.equal(after?.kind === 'file' ? after.mode : 0, 0o641);
});
