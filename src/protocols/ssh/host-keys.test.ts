// Persona host keys: made once with the profile's types and sizes (mode 0600), the same bytes after,
// a kept key of the wrong type refused, and generated ed25519 keys always readable by ssh2.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import ssh2 from 'ssh2';
import type { SshHostKeySpec } from '../../core/ssh-persona.ts';
import { describeHostKey, generateUsableKey, personaHostKeys } from './host-keys.ts';

const scratch = mkdtempSync(join(tmpdir(), 'hachi-host-keys-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const specs: SshHostKeySpec[] = [
  { kind: 'rsa', bits: 2048 },
  { kind: 'ecdsa', bits: 256 },
  { kind: 'ed25519', bits: 256 },
];

test('generated on first run with the persona types and sizes, mode 0600, reused after', async () => {
  const dir = join(scratch, 'instance');
  const first = await personaHostKeys(dir, specs);
  assert.deepEqual(first.map((k) => describeHostKey(k)), [
    { type: 'ssh-rsa', bits: 2048 },
    { type: 'ecdsa-sha2-nistp256', bits: 256 },
    { type: 'ssh-ed25519', bits: 256 },
  ]);
  for (const name of ['ssh_host_rsa_key', 'ssh_host_ecdsa_key', 'ssh_host_ed25519_key']) {
    assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600);
  }
  const again = await personaHostKeys(dir, specs);
  assert.deepEqual(again, first);
});

test('a kept key of another size than the persona says is an error, not silently replaced', async () => {
  const dir = join(scratch, 'changed');
  await personaHostKeys(dir, [{ kind: 'ecdsa', bits: 256 }]);
  await assert.rejects(personaHostKeys(dir, [{ kind: 'ecdsa', bits: 384 }]), /ecdsa-sha2-nistp256 256 bits, the persona needs ecdsa-sha2-nistp384 384 bits/);
});

test('generated ed25519 keys always parse back (ssh2 drops a leading zero byte about once in 256)', () => {
  for (let i = 0; i < 64; i++) assert.ok(!(ssh2.utils.parseKey(generateUsableKey({ kind: 'ed25519', bits: 256 })) instanceof Error));
});
