// OpenSSH scp in legacy mode (-O: `scp -t` / `scp -f` over exec) against serveScp, plus the parser.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runClient, sshClientOptions, startTransferServer, type TransferServer } from '../../testing/ssh-transfer-harness.ts';
import { parseScpCommand } from './scp-command.ts';

const skip = spawnSync('sshpass', ['-V']).error !== undefined ? 'needs sshpass and OpenSSH scp' : false;
let server: TransferServer;
let work: string;

before(async () => {
  server = await startTransferServer();
  work = await mkdtemp(join(tmpdir(), 'hachi-scp-'));
});
after(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const scp = (...args: string[]): ReturnType<typeof runClient> => runClient('sshpass', ['-p', 'x', 'scp', '-O', '-P', String(server.port), ...sshClientOptions, ...args]);

test('parseScpCommand reads sink and source requests and leaves other commands alone', () => {
  assert.deepEqual(parseScpCommand('scp -t -- /tmp/'), { mode: 'sink', recursive: false, directory: false, preserve: false, paths: ['/tmp/'] });
  assert.deepEqual(parseScpCommand("scp -v -r -d -t '/tmp/a b'"), { mode: 'sink', recursive: true, directory: true, preserve: false, paths: ['/tmp/a b'] });
  assert.deepEqual(parseScpCommand('/usr/bin/scp -pf /etc/passwd /etc/hosts'), { mode: 'source', recursive: false, directory: false, preserve: true, paths: ['/etc/passwd', '/etc/hosts'] });
  assert.equal(parseScpCommand('uname -a'), null);
  assert.equal(parseScpCommand('scp /a /b'), null);
  assert.equal(parseScpCommand('scp -t'), null);
});

test('scp -O upload of a file and of a directory tree: stored, captured, seen by the shell', { skip }, async () => {
  const body = Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(50_000, 7)]);
  await writeFile(join(work, 'mirai.arm7'), body);
  await mkdir(join(work, 'kit/sub'), { recursive: true });
  await writeFile(join(work, 'kit/a.sh'), 'echo a\n');
  await writeFile(join(work, 'kit/sub/b.sh'), 'echo b\n');
  const one = await scp(join(work, 'mirai.arm7'), 'root@127.0.0.1:/tmp/');
  assert.equal(one.code, 0, one.stderr);
  const tree = await scp('-r', join(work, 'kit'), 'root@127.0.0.1:/tmp');
  assert.equal(tree.code, 0, tree.stderr);
  assert.deepEqual(Buffer.from(server.vfs.readFile('/tmp/mirai.arm7')), body);
  assert.equal(Buffer.from(server.vfs.readFile('/tmp/kit/sub/b.sh')).toString(), 'echo b\n');
  const writes = server.recorder.ofType('file.write');
  assert.ok(writes.some((w) => w.path === '/tmp/mirai.arm7' && w.sha256 === sha256(body) && w.size === body.length && w.reason === 'upload'));
  assert.ok(writes.some((w) => w.path === '/tmp/kit/a.sh' && w.reason === 'upload'));
  assert.match(await server.shell('ls /tmp/kit'), /a\.sh\s+sub/);
});

test('scp -O download of a persona file and, with -r, a directory', { skip }, async () => {
  const one = await scp('root@127.0.0.1:/etc/passwd', join(work, 'passwd'));
  assert.equal(one.code, 0, one.stderr);
  assert.match(await readFile(join(work, 'passwd'), 'latin1'), /^root:x:0:0:/);
  const tree = await scp('-r', 'root@127.0.0.1:/etc', join(work, 'etc-copy'));
  assert.equal(tree.code, 0, tree.stderr);
  assert.equal(await readFile(join(work, 'etc-copy/hosts'), 'latin1'), '127.0.0.1 localhost\n');
});

test('scp -O errors read like the device: missing source, missing target dir, not a regular file', { skip }, async () => {
  const missing = await scp('root@127.0.0.1:/nope/x', join(work, 'x'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /scp: \/nope\/x: No such file or directory/);
  const dir = await scp('root@127.0.0.1:/etc', join(work, 'etc'));
  assert.equal(dir.code, 1);
  assert.match(dir.stderr, /scp: \/etc: not a regular file/);
  await writeFile(join(work, 'f'), 'x');
  const noTarget = await scp(join(work, 'f'), 'root@127.0.0.1:/missing/dir/f');
  assert.equal(noTarget.code, 1);
  assert.match(noTarget.stderr, /scp: \/missing\/dir\/f: No such file or directory/);
});

test('scp -O: an oversized upload is refused with File too large and session.limit', { skip }, async () => {
  await writeFile(join(work, 'huge.bin'), Buffer.alloc((1 << 20) + 1, 3));
  await writeFile(join(work, 'small.bin'), 'small');
  const result = await scp(join(work, 'huge.bin'), join(work, 'small.bin'), 'root@127.0.0.1:/tmp/');
  assert.equal(result.code, 1);
  assert.match(result.stderr, /scp: \/tmp\/huge\.bin: File too large/);
  assert.equal(server.vfs.stat('/tmp/huge.bin'), null);
  assert.equal(Buffer.from(server.vfs.readFile('/tmp/small.bin')).toString(), 'small');
  assert.ok(server.recorder.ofType('session.limit').some((l) => l.limit === 'file-size' && /huge\.bin/.test(l.detail)));
});
