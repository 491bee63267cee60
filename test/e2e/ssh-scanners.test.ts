// End to end: `hachi run` serving the camera (dropbear 2019.78) and the hub (OpenSSH 7.4p1) over SSH.
// nmap -sV with ssh2-enum-algos and ssh-hostkey sees the claimed product and exactly the persona's
// algorithm lists in order, and hydra's ssh module finds the factory credential among Mirai's pairs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { enumAlgos } from '../../src/testing/nmap-ssh.ts';
import { personaSsh } from '../../src/testing/persona-ssh-server.ts';
import { startHachi, type RunningHachi } from './hachi-process.ts';
import { storedEvents } from './stored-events.ts';

const run = promisify(execFile);
const PERSONAS = { 'ssh-camera': 'xm-ipc-hi3516d', 'ssh-hub': 'rk3308-smart-hub' } as const;
let hachi: RunningHachi;

before(async () => {
  hachi = await startHachi(Object.entries(PERSONAS).map(([name, persona]) => ({ name, persona, protocol: 'ssh' as const, loginFailureDelayMs: 0 })));
});
after(async () => {
  await hachi.stop();
});

for (const [service, persona] of Object.entries(PERSONAS)) {
  test(`${persona}: nmap sees the claimed sshd, its algorithm lists in order and its host keys`, async (t) => {
    const profile = await personaSsh(persona);
    const port = hachi.ports.get(service)!;
    const { stdout } = await run('nmap', ['-sV', '-Pn', '-n', '-p', String(port), '--script', 'ssh2-enum-algos,ssh-hostkey', '127.0.0.1'], { timeout: 120_000 });
    t.diagnostic(`nmap for ${persona}:\n${stdout}`);
    assert.equal(new RegExp(`^${port}/tcp\\s+open\\s+ssh\\s+(.+)$`, 'm').exec(stdout)?.[1], profile.expected.nmapVersion);
    assert.deepEqual(enumAlgos(stdout), {
      kex_algorithms: profile.kexinit.kex,
      server_host_key_algorithms: profile.kexinit.serverHostKey,
      encryption_algorithms: profile.kexinit.ciphers,
      mac_algorithms: profile.kexinit.macs,
      compression_algorithms: profile.kexinit.compression,
    });
    // ssh-hostkey prints "2048 <md5 hex> (RSA)"; the persona keeps "2048 (RSA)" without the fingerprint.
    const shown = [...stdout.matchAll(/^\|[_ ]\s+(\d+) [0-9a-f]{32} (\([A-Z0-9-]+\))$/gm)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(shown, profile.expected.nmapHostKeys);
  });
}

test('hydra ssh:// finds the camera factory credential; every attempt is an auth.attempt', async () => {
  const pairs = [['root', 'vizxv'], ['admin', 'admin'], ['root', 'xmhdipc'], ['root', '888888']];
  const list = join(hachi.dataDir, 'ssh-pairs.txt');
  await writeFile(list, pairs.map(([u, p]) => `${u}:${p}`).join('\n') + '\n');
  const { stdout } = await run('hydra', ['-I', '-C', list, '-t', '1', '-s', String(hachi.ports.get('ssh-camera')), '127.0.0.1', 'ssh'], { cwd: hachi.dataDir, timeout: 120_000 });
  assert.match(stdout, /login: root\s+password: xmhdipc/, stdout);
  const attempts = await storedEvents(hachi, 'auth.attempt', (e) => e.persona === 'xm-ipc-hi3516d' && e.data['method'] === 'password', pairs.length);
  assert.ok(attempts.some((e) => e.data['password'] === 'xmhdipc' && e.data['success'] === true));
});
