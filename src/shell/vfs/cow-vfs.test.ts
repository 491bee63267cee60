// Copy-on-write VFS: isolation between sessions, write cost independent of tree size, amortised
// appends, symlinks, directory semantics, devices, dirty tracking and limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FsNode } from '../../core/persona.ts';
import { testTree } from '../../testing/test-persona.ts';
import { createCowVfs } from './cow-vfs.ts';
import { indexTree } from './tree-index.ts';
import { VfsError } from './vfs.ts';

const limits = { maxFileBytes: 1 << 20, maxSessionWriteBytes: 4 << 20, maxFiles: 100 };
const clock = { now: () => 1_700_000_000_000 };
const enc = new TextEncoder();
const text = (data: Uint8Array): string => new TextDecoder().decode(data);
const errno = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof VfsError) return error.errno;
    throw error;
  }
  return 'no error';
};

test('two sessions over one tree never see each other and never change the tree', () => {
  const tree = testTree();
  const before = tree.get('/etc/passwd');
  const a = createCowVfs(tree, limits, clock);
  const b = createCowVfs(tree, limits, clock);
  a.writeFile('/tmp/x', enc.encode('from a'));
  a.writeFile('/etc/passwd', enc.encode('owned'));
  a.unlink('/bin/echo');
  assert.equal(text(a.readFile('/tmp/x')), 'from a');
  assert.equal(b.stat('/tmp/x'), null);
  assert.match(text(b.readFile('/etc/passwd')), /^root:/);
  assert.notEqual(b.lstat('/bin/echo'), null);
  assert.equal(a.lstat('/bin/echo'), null);
  assert.equal(tree.get('/etc/passwd'), before);
  assert.equal(tree.has('/tmp/x'), false);
});

test('writing one byte costs the same in a 10,000-file tree as in a small one', () => {
  const big = new Map<string, FsNode>(testTree());
  for (let i = 0; i < 10_000; i++) big.set(`/usr/bin/f${i}`, { kind: 'file', data: new Uint8Array(16), mode: 0o644, uid: 0, gid: 0, mtime: 0 });
  const index = indexTree(big);
  const time = (make: () => ReturnType<typeof createCowVfs>): number => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) make().writeFile('/tmp/a', Uint8Array.of(1));
    return Number(process.hrtime.bigint() - start);
  };
  const small = indexTree(testTree());
  time(() => createCowVfs(small, limits, clock));
  const smallNs = time(() => createCowVfs(small, limits, clock));
  const bigNs = time(() => createCowVfs(index, limits, clock));
  // A copy of 10,000 entries per session would be ~1000x slower; allow generous noise.
  assert.ok(bigNs < smallNs * 20 + 5_000_000, `big ${bigNs}ns vs small ${smallNs}ns`);
});

test('hundreds of small appends rebuild the exact bytes in amortised time', () => {
  const fs = createCowVfs(testTree(), limits, clock);
  const expected: number[] = [];
  fs.writeFile('/tmp/d', new Uint8Array(0));
  for (let i = 0; i < 2000; i++) {
    const chunk = Uint8Array.of(i & 255, (i * 7) & 255, 0x7f);
    expected.push(...chunk);
    fs.writeFile('/tmp/d', chunk, { append: true });
  }
  assert.deepEqual([...fs.readFile('/tmp/d')], expected);
});

test('append to a persona file copies it once, then extends', () => {
  const fs = createCowVfs(testTree(), limits, clock);
  fs.writeFile('/etc/passwd', enc.encode('x:x:1:1::/:/bin/sh\n'), { append: true });
  assert.match(text(fs.readFile('/etc/passwd')), /^root:.*\nx:x:1:1/s);
});

test('paths normalise and symlinks resolve, with ELOOP on cycles', () => {
  const fs = createCowVfs(testTree(), limits, clock);
  assert.equal(fs.resolve('/tmp', '../etc/./passwd'), '/etc/passwd');
  assert.equal(fs.resolve('/', '../../..'), '/');
  assert.equal(fs.stat('/bin/echo')?.kind, 'file');
  assert.equal(fs.lstat('/bin/echo')?.kind, 'symlink');
  fs.symlink('/tmp/b', '/tmp/a');
  fs.symlink('/tmp/a', '/tmp/b');
  assert.equal(errno(() => fs.readFile('/tmp/a')), 'ELOOP');
  fs.symlink('../etc', '/tmp/etc');
  assert.match(text(fs.readFile('/tmp/etc/passwd')), /^root/);
  fs.symlink('/tmp/new', '/tmp/dangling');
  fs.writeFile('/tmp/dangling', enc.encode('via link'));
  assert.equal(text(fs.readFile('/tmp/new')), 'via link');
});

test('directory semantics: ENOENT, ENOTDIR, EISDIR, EEXIST, ENOTEMPTY', () => {
  const fs = createCowVfs(testTree(), limits, clock);
  assert.equal(errno(() => fs.readFile('/nope')), 'ENOENT');
  assert.equal(errno(() => fs.writeFile('/nope/x', Uint8Array.of(1))), 'ENOENT');
  assert.equal(errno(() => fs.writeFile('/etc/passwd/x', Uint8Array.of(1))), 'ENOTDIR');
  assert.equal(errno(() => fs.readFile('/etc')), 'EISDIR');
  assert.equal(errno(() => fs.writeFile('/etc', Uint8Array.of(1))), 'EISDIR');
  assert.equal(errno(() => fs.mkdir('/etc')), 'EEXIST');
  assert.equal(errno(() => fs.rmdir('/etc')), 'ENOTEMPTY');
  assert.equal(errno(() => fs.unlink('/etc')), 'EISDIR');
  assert.equal(errno(() => fs.readdir('/etc/passwd')), 'ENOTDIR');
  fs.mkdir('/tmp/a/b/c', { parents: true });
  assert.equal(fs.stat('/tmp/a/b/c')?.kind, 'dir');
  fs.rmdir('/tmp/a/b/c');
  assert.deepEqual(fs.readdir('/tmp/a').map((e) => e.name), ['b']);
});

test('readdir merges the tree and the overlay and hides whiteouts', () => {
  const fs = createCowVfs(testTree(), limits, clock);
  fs.writeFile('/etc/zz', Uint8Array.of(1));
  fs.unlink('/etc/group');
  assert.deepEqual(fs.readdir('/etc').map((e) => e.name), ['passwd', 'zz']);
  fs.writeFile('/etc/group', Uint8Array.of(2));
  assert.deepEqual(fs.readdir('/etc').map((e) => e.name), ['group', 'passwd', 'zz']);
});

test('rename moves files and whole directories, including persona subtrees', () => {
  const fs = createCowVfs(testTree(), limits, clock);
  fs.writeFile('/tmp/x', enc.encode('x'));
  fs.rename('/tmp/x', '/tmp/y');
  assert.equal(fs.stat('/tmp/x'), null);
  assert.equal(text(fs.readFile('/tmp/y')), 'x');
  assert.equal(fs.isDirty('/tmp/y'), true);
  fs.rename('/etc', '/etc2');
  assert.equal(fs.stat('/etc'), null);
  assert.match(text(fs.readFile('/etc2/passwd')), /^root/);
  assert.equal(errno(() => fs.rename('/etc2', '/etc2/sub')), 'EINVAL');
});

test('/dev/null swallows writes and reads empty; /dev/zero reads zeros', () => {
  const fs = createCowVfs(new Map([['/', { kind: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 }]]), limits, clock);
  fs.writeFile('/dev/null', enc.encode('gone'), { append: true });
  assert.equal(fs.readFile('/dev/null').length, 0);
  assert.ok(fs.readFile('/dev/zero').every((b) => b === 0));
  assert.deepEqual(fs.readdir('/dev').map((e) => e.name), ['null', 'zero']);
  assert.deepEqual(fs.takeDirty(), []);
});

test('takeDirty returns changed files once; isDirty follows changes', () => {
  const fs = createCowVfs(testTree(), limits, clock);
  fs.writeFile('/tmp/a', enc.encode('a'));
  fs.mkdir('/tmp/d');
  fs.chmod('/etc/passwd', 0o600);
  assert.equal(fs.isDirty('/tmp/a'), true);
  assert.equal(fs.isDirty('/etc/passwd'), false);
  const taken = fs.takeDirty();
  assert.deepEqual(taken.map((d) => [d.path, text(d.data)]), [['/tmp/a', 'a']]);
  assert.equal(fs.isDirty('/tmp/a'), false);
  assert.deepEqual(fs.takeDirty(), []);
  fs.writeFile('/tmp/a', enc.encode('b'), { append: true });
  fs.unlink('/tmp/a');
  assert.deepEqual(fs.takeDirty(), []);
});

test('limits: file size EFBIG, session bytes and file count ENOSPC', () => {
  const fs = createCowVfs(testTree(), { maxFileBytes: 10, maxSessionWriteBytes: 25, maxFiles: 3 }, clock);
  assert.equal(errno(() => fs.writeFile('/tmp/a', new Uint8Array(11))), 'EFBIG');
  fs.writeFile('/tmp/a', new Uint8Array(8));
  assert.equal(errno(() => fs.writeFile('/tmp/a', new Uint8Array(3), { append: true })), 'EFBIG');
  fs.writeFile('/tmp/b', new Uint8Array(10));
  assert.equal(errno(() => fs.writeFile('/tmp/c', new Uint8Array(10))), 'ENOSPC');
  fs.mkdir('/tmp/d');
  assert.equal(errno(() => fs.mkdir('/tmp/e')), 'ENOSPC');
});

test('chmod and touch change metadata without touching data', () => {
  const fs = createCowVfs(testTree(), limits, clock);
  fs.chmod('/etc/passwd', 0o4755);
  const node = fs.stat('/etc/passwd');
  assert.equal(node?.kind === 'file' ? node.mode : -1, 0o4755);
  fs.touch('/tmp/new');
  assert.equal(fs.stat('/tmp/new')?.kind, 'file');
  fs.touch('/etc/passwd');
  assert.equal(fs.stat('/etc/passwd')?.mtime, clock.now());
});
