// A configured SSH service in the running sensor: OpenSSH logs in to the camera persona, an exec runs
// in the real emulated shell, and the events carry protocol ssh; the host keys are kept on disk.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../config/schema.ts';
import type { HachiEvent } from '../core/events.ts';
import { startSensor, type Sensor } from './sensor.ts';

const skip = spawnSync('sh', ['-c', 'command -v sshpass && command -v ssh']).status === 0 ? false : 'needs sshpass and OpenSSH';
const personaDir = fileURLToPath(new URL('../../personas', import.meta.url));
let dataDir: string;
let sensor: Sensor;
const events: HachiEvent[] = [];

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hachi-ssh-service-'));
  const config = configSchema.parse({
    services: [
      { name: 'ssh-camera', protocol: 'ssh', host: '127.0.0.1', port: 0, persona: 'xm-ipc-hi3516d', loginFailureDelayMs: 0 },
      { name: 'ssh-hub', protocol: 'ssh', host: '127.0.0.1', port: 0, persona: 'rk3308-smart-hub', loginFailureDelayMs: 0 },
    ],
    sinks: { sqlite: { enabled: false }, jsonl: { enabled: false } },
    analysis: { enabled: false },
    fetch: { enabled: false },
  });
  sensor = await startSensor({ config, dataDir, personaDir, logger: { info: () => undefined, warn: () => undefined }, version: 'test', sensorId: 'test' });
  sensor.dispatcher.subscribe((event) => void events.push(event));
});
after(async () => {
  await sensor.stop('test');
  await rm(dataDir, { recursive: true, force: true });
});

test('OpenSSH exec on the camera persona runs in the emulated shell', { skip }, async () => {
  const service = sensor.services.find((s) => s.name === 'ssh-camera');
  assert.ok(service && service.error === null, JSON.stringify(service));
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const args = ['-p', 'xmhdipc', 'ssh', '-p', String(service.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'PubkeyAuthentication=no', 'root@127.0.0.1', 'uname -a; cat /proc/cpuinfo | head -n 1'];
    const child = spawn('sshpass', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Linux /);
  assert.match(result.stdout, /processor|Processor/);
  for (let i = 0; i < 50 && !events.some((e) => e.type === 'session.close'); i++) await new Promise((r) => setTimeout(r, 20));
  const mine = events.filter((e) => 'protocol' in e && e.protocol === 'ssh');
  const types = mine.map((e) => e.type);
  for (const type of ['session.connect', 'ssh.client', 'auth.attempt', 'ssh.request', 'command.input', 'session.close'] as const) assert.ok(types.includes(type), `${type} in ${types.join(',')}`);
  assert.deepEqual(await readdir(join(dataDir, 'ssh', 'ssh-camera')), ['ssh_host_ecdsa_key', 'ssh_host_rsa_key']);
});

function run(command: string, args: readonly string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('latin1')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const sshOptions = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'PubkeyAuthentication=no'];
const port = (name: string): number => sensor.services.find((s) => s.name === name)!.port;

test('exec returns the emulated shell status: `exit 3` and a failing command', { skip }, async () => {
  const exited = await run('sshpass', ['-p', 'xmhdipc', 'ssh', '-p', String(port('ssh-camera')), ...sshOptions, 'root@127.0.0.1', 'echo hi; exit 3']);
  assert.deepEqual([exited.code, exited.stdout], [3, 'hi\n']);
  const failed = await run('sshpass', ['-p', 'xmhdipc', 'ssh', '-p', String(port('ssh-camera')), ...sshOptions, 'root@127.0.0.1', 'cat /nonexistent']);
  assert.equal(failed.code, 1, failed.stderr);
});

test('scp and sftp uploads are captured; the dropbear camera takes legacy scp only, as it has no sftp-server', { skip }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-scp-'));
  const local = join(dir, 'x.sh');
  const bytes = '#!/bin/sh\necho dropped by scp\n';
  await writeFile(local, bytes);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const hub = String(port('ssh-hub'));
  // The hub's OpenSSH has sftp-server: plain scp (SFTP mode) and sftp work.
  const scp = await run('sshpass', ['-p', 'rockchip', 'scp', '-P', hub, ...sshOptions, local, 'root@127.0.0.1:/tmp/x.sh']);
  assert.equal(scp.code, 0, scp.stderr);
  const batch = join(dir, 'batch');
  await writeFile(batch, `put ${local} /tmp/y.sh\nls /tmp\n`);
  const sftp = await run('sshpass', ['-p', 'rockchip', 'sftp', '-P', hub, ...sshOptions, '-o', 'BatchMode=no', '-b', batch, 'root@127.0.0.1']);
  assert.equal(sftp.code, 0, sftp.stderr);
  assert.ok(events.some((e) => e.type === 'file.write' && e.data.sha256 === sha && e.data.reason === 'upload'), 'upload captured');
  // The camera's dropbear has no sftp-server: legacy scp (-O) works, modern scp does not.
  const cam = String(port('ssh-camera'));
  const legacy = await run('sshpass', ['-p', 'xmhdipc', 'scp', '-O', '-P', cam, ...sshOptions, local, 'root@127.0.0.1:/tmp/z.sh']);
  assert.equal(legacy.code, 0, legacy.stderr);
  const modern = await run('sshpass', ['-p', 'xmhdipc', 'scp', '-P', cam, ...sshOptions, local, 'root@127.0.0.1:/tmp/w.sh']);
  assert.notEqual(modern.code, 0, 'no SFTP subsystem on the dropbear camera');
  assert.equal(await readFile(local, 'utf8'), bytes);
  await rm(dir, { recursive: true, force: true });
});

test('an SSH service for a persona without an sshd profile (ssh.yaml) is a configuration error', async () => {
  const config = configSchema.parse({ services: [{ name: 'ssh-router', protocol: 'ssh', host: '127.0.0.1', port: 0, persona: 'asus-rt-n12e-rtl8196c' }] });
  const dir = await mkdtemp(join(tmpdir(), 'hachi-ssh-noprofile-'));
  await assert.rejects(startSensor({ config, dataDir: dir, personaDir, logger: { info: () => undefined, warn: () => undefined }, version: 'test', sensorId: 'test' }), /HACHI_ERR_CONFIG|has no ssh\.yaml/);
  await rm(dir, { recursive: true, force: true });
});
