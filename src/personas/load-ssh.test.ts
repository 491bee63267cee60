// ssh.yaml loading: the shipped packs' sshd views, and each kind of mistake named with its place.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { checkPersonaPack, loadPersonaPack } from './load-pack.ts';

const ROOT = fileURLToPath(new URL('../../personas', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'hachi-ssh-pack-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let copies = 0;
function variant(edit: (yaml: string) => string): string {
  const dir = join(scratch, `cam-${copies++}`);
  cpSync(join(ROOT, 'xm-ipc-hi3516d'), dir, { recursive: true });
  const file = join(dir, 'ssh.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return dir;
}

test('the camera pack loads its dropbear: ident, lists in order, host keys, no EXT_INFO', async () => {
  const ssh = (await loadPersonaPack(join(ROOT, 'xm-ipc-hi3516d'))).ssh;
  assert.ok(ssh);
  assert.equal(ssh.ident, 'SSH-2.0-dropbear_2019.78');
  assert.equal(ssh.kexinit.kex.at(-1), 'kexguess2@matt.ucc.asn.au');
  assert.deepEqual(ssh.hostKeys, [{ kind: 'rsa', bits: 2048 }, { kind: 'ecdsa', bits: 256 }]);
  assert.equal(ssh.serverSigAlgs, null);
  assert.ok(Object.isFrozen(ssh.kexinit.kex));
});

test('the hub pack loads its OpenSSH 7.4p1 with ed25519 and server-sig-algs; the router has no ssh.yaml', async () => {
  const hub = (await loadPersonaPack(join(ROOT, 'rk3308-smart-hub'))).ssh;
  assert.equal(hub?.ident, 'SSH-2.0-OpenSSH_7.4p1');
  assert.deepEqual(hub?.hostKeys.at(-1), { kind: 'ed25519', bits: 256 });
  assert.equal(hub?.serverSigAlgs?.length, 8);
  assert.equal((await loadPersonaPack(join(ROOT, 'asus-rt-n12e-rtl8196c'))).ssh, undefined);
});

test('mistakes are named: ident of another product, a host key algorithm without a key, a key not offered, a bad name', async () => {
  const cases: [(y: string) => string, RegExp][] = [
    [(y) => y.replace('ident: SSH-2.0-dropbear_2019.78', 'ident: SSH-2.0-OpenSSH_7.4'), /ident: "SSH-2.0-OpenSSH_7.4" does not name the software "dropbear_2019.78"/],
    [(y) => y.replace('serverHostKey: [ecdsa-sha2-nistp256, ssh-rsa]', 'serverHostKey: [ecdsa-sha2-nistp256, ssh-rsa, ssh-dss]'), /kexinit.serverHostKey\[2\]: "ssh-dss" needs a host key hachi cannot make/],
    [(y) => y.replace('serverHostKey: [ecdsa-sha2-nistp256, ssh-rsa]', 'serverHostKey: [ssh-rsa]'), /hostKeys\[1\]: the ecdsa key is not offered/],
    [(y) => y.replace('  - { kind: ecdsa, bits: 256 }', '  - { kind: ecdsa, bits: 384 }'), /kexinit.serverHostKey\[0\]: no host key in hostKeys signs "ecdsa-sha2-nistp256"/],
    [(y) => y.replace('macs: [hmac-sha1-96, hmac-sha1, hmac-sha2-256]', 'macs: ["hmac sha1"]'), /ssh.yaml(:\d+)?: kexinit.macs.0/],
  ];
  for (const [edit, problem] of cases) {
    const check = await checkPersonaPack(variant(edit));
    assert.equal(check.ok, false);
    assert.match(check.problems.join('\n'), problem);
  }
});
