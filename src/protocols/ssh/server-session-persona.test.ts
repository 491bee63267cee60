// The emulated sshd with a persona's SSH profile (the camera's dropbear): OpenSSH sees dropbear's
// identification, logs in with a password (dropbear has no keyboard-interactive) and runs commands.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSshPersona } from '../../personas/load-ssh.ts';
import { startSshServer, type SshTestServer } from '../../testing/ssh-server-harness.ts';
import { busyboxPersona } from '../../testing/telnet-harness.ts';
import { personaHostKeys } from './host-keys.ts';

const skip = spawnSync('sh', ['-c', 'command -v sshpass && command -v ssh']).status === 0 ? false : 'needs sshpass and OpenSSH';
let server: SshTestServer;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hachi-ssh-persona-'));
  const problems: string[] = [];
  const ssh = await loadSshPersona(join(import.meta.dirname, '../../../personas/xm-ipc-hi3516d'), problems);
  assert.ok(ssh, problems.join('\n'));
  const hostKeys = await personaHostKeys(join(dir, 'keys'), ssh.hostKeys);
  server = await startSshServer({ persona: { ...busyboxPersona({ motd: '' }), ssh }, context: { hostKeys } });
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

test("OpenSSH sees dropbear's identification and logs in with a password", { skip }, async () => {
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const args = ['-p', 'xmhdipc', 'ssh', '-v', '-p', String(server.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'PubkeyAuthentication=no', 'root@127.0.0.1', 'echo hi; exit 2'];
    const child = spawn('sshpass', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  assert.match(result.stderr, /remote software version dropbear_2019\.78/);
  assert.match(result.stderr, /Authentications that can continue: publickey,password\b/);
  assert.equal(result.stdout, 'hi\n', result.stderr);
  assert.equal(result.code, 2);
  await server.settled();
  const events = server.sessions.at(-1)!.events;
  assert.deepEqual(events.ofType('auth.attempt').map((a) => [a.method, a.success]), [['password', true]]);
});
