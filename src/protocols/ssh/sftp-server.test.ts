// Real clients (OpenSSH sftp and scp in SFTP mode, paramiko) against serveSftp on a test ssh2 server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runClient, sshClientOptions, startTransferServer, type TransferServer } from '../../testing/ssh-transfer-harness.ts';

const skip = spawnSync('sshpass', ['-V']).error !== undefined || spawnSync('sftp', ['-h']).error !== undefined ? 'needs sshpass and OpenSSH sftp' : false;
let server: TransferServer;
let work: string;

before(async () => {
  server = await startTransferServer();
  work = await mkdtemp(join(tmpdir(), 'hachi-sftp-'));
});
after(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const sftp = (batch: string): ReturnType<typeof runClient> => runClient('sshpass', ['-p', 'x', 'sftp', '-P', String(server.port), ...sshClientOptions, '-o', 'BatchMode=no', '-b', batch, 'root@127.0.0.1']);

test('sftp -b: put, ls, mkdir, chmod, rename, get and rm over the persona filesystem', { skip }, async () => {
  const body = Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(70_000, 0x41), Buffer.from('tail')]);
  await writeFile(join(work, 'bot.arm'), body);
  const batch = join(work, 'batch');
  await writeFile(batch, [`put ${join(work, 'bot.arm')} /tmp/bot.arm`, 'ls -l /tmp', 'mkdir /tmp/kit', 'chmod 755 /tmp/bot.arm', 'rename /tmp/bot.arm /tmp/kit/b', `get /tmp/kit/b ${join(work, 'back')}`, `get /etc/passwd ${join(work, 'passwd')}`, 'rm /tmp/kit/b', 'ls /tmp/kit', ''].join('\n'));
  const result = await sftp(batch);
  assert.equal(result.code, 0, result.stderr + result.stdout);
  assert.match(result.stdout, /-rw-r--r--\s+1 root\s+root\s+70008 \w{3} [ \d]\d \d\d:\d\d bot\.arm\n/);
  assert.deepEqual(await readFile(join(work, 'back')), body);
  assert.match(await readFile(join(work, 'passwd'), 'latin1'), /^root:x:0:0:/);
  assert.equal(server.vfs.stat('/tmp/kit/b'), null);
  assert.equal(server.vfs.stat('/tmp/kit')?.kind, 'dir');
  const writes = server.recorder.ofType('file.write').filter((w) => w.path === '/tmp/bot.arm');
  assert.deepEqual(writes, [{ path: '/tmp/bot.arm', sha256: sha256(body), size: body.length, reason: 'upload' }]);
  const requests = server.recorder.ofType('ssh.request').map((r) => `${r.request} ${r.detail} ${r.accepted}`);
  for (const expected of ['sftp-open /tmp/bot.arm w true', 'sftp-mkdir /tmp/kit mode=0777 true', 'sftp-setstat /tmp/bot.arm mode=0755 true', 'sftp-rename /tmp/bot.arm -> /tmp/kit/b true', 'sftp-remove /tmp/kit/b true']) {
    assert.ok(requests.includes(expected), `${expected} in ${JSON.stringify(requests)}`);
  }
});

test('sftp errors read like sftp-server: missing files and a non-empty rmdir', { skip }, async () => {
  const batch = join(work, 'errors');
  await writeFile(batch, ['-get /nope/x ' + join(work, 'nope'), '-rm /etc/missing', '-rmdir /etc', ''].join('\n'));
  const result = await sftp(batch);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /File "\/nope\/x" not found|No such file/);
  assert.match(result.stderr, /\/etc\/missing.*No such file/);
  assert.match(result.stderr, /Failure/);
});

test('uploads are visible to the shell of the same session', { skip }, async () => {
  await writeFile(join(work, 'seen.sh'), '#!/bin/sh\necho hi\n');
  const result = await runClient('sshpass', ['-p', 'x', 'scp', '-P', String(server.port), ...sshClientOptions, join(work, 'seen.sh'), 'root@127.0.0.1:/tmp/']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(await server.shell('ls /tmp'), /seen\.sh/);
  assert.equal(await server.shell('cat /tmp/seen.sh'), '#!/bin/sh\necho hi\n');
});

test('scp in SFTP mode downloads a persona file and refuses an oversized upload with session.limit', { skip }, async () => {
  const down = await runClient('sshpass', ['-p', 'x', 'scp', '-P', String(server.port), ...sshClientOptions, 'root@127.0.0.1:/etc/hosts', join(work, 'hosts')]);
  assert.equal(down.code, 0, down.stderr);
  assert.equal(await readFile(join(work, 'hosts'), 'latin1'), '127.0.0.1 localhost\n');
  await writeFile(join(work, 'big.bin'), Buffer.alloc((1 << 20) + 10, 1));
  const up = await runClient('sshpass', ['-p', 'x', 'scp', '-P', String(server.port), ...sshClientOptions, join(work, 'big.bin'), 'root@127.0.0.1:/tmp/big.bin']);
  assert.notEqual(up.code, 0);
  assert.match(up.stderr, /Failure/);
  assert.ok(server.recorder.ofType('session.limit').some((l) => l.limit === 'file-size' && l.max === 1 << 20));
  assert.ok(!server.recorder.ofType('file.write').some((w) => w.path === '/tmp/big.bin' && w.size > 0));
});

test('paramiko SFTPClient put and get', { skip: spawnSync('/usr/bin/python3', ['-c', 'import paramiko']).status !== 0 ? 'needs paramiko' : false }, async () => {
  const script = [
    'import paramiko, sys',
    't = paramiko.Transport(("127.0.0.1", int(sys.argv[1])))',
    't.connect(username="root", password="x")',
    's = paramiko.SFTPClient.from_transport(t)',
    's.put(sys.argv[2], "/tmp/para.bin")',
    's.get("/tmp/para.bin", sys.argv[3])',
    'print(s.stat("/tmp/para.bin").st_size, sorted(s.listdir("/tmp")))',
    't.close()',
  ].join('\n');
  const body = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
  await writeFile(join(work, 'para.bin'), body);
  const result = await runClient('/usr/bin/python3', ['-c', script, String(server.port), join(work, 'para.bin'), join(work, 'para.back')]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^5000 \[.*'para\.bin'/);
  assert.deepEqual(await readFile(join(work, 'para.back')), body);
  assert.ok(server.recorder.ofType('file.write').some((w) => w.path === '/tmp/para.bin' && w.sha256 === sha256(body) && w.reason === 'upload'));
});
