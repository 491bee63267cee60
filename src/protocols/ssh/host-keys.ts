// Persistent host keys for one persona instance: generated on first run with the persona's types and
// sizes into a directory the caller gives (files mode 0600), then reused so fingerprints never change.
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { SshHostKeySpec } from '../../core/ssh-persona.ts';

/**
 * Generates a private key ssh2 can read back. ssh2 1.17 writes about one ed25519 key in 256 with a
 * 31-byte public key (a leading zero byte dropped), which it then cannot parse: such keys are thrown
 * away and made again (also used by src/relay/ssh-host-keys.ts).
 */
export function generateUsableKey(spec: SshHostKeySpec): string {
  for (let tries = 0; ; tries++) {
    const key =
      spec.kind === 'rsa'
        ? ssh2.utils.generateKeyPairSync('rsa', { bits: spec.bits }).private
        : spec.kind === 'ecdsa'
          ? ssh2.utils.generateKeyPairSync('ecdsa', { bits: spec.bits }).private
          : ssh2.utils.generateKeyPairSync('ed25519').private;
    if (!(ssh2.utils.parseKey(key) instanceof Error) || tries >= 16) return key;
  }
}

/** "ssh_host_rsa_key" etc., as OpenSSH names them. */
export const hostKeyFile = (spec: SshHostKeySpec): string => `ssh_host_${spec.kind}_key`;

/** The ssh key type and size of a private key, e.g. { type: 'ssh-rsa', bits: 2048 }. */
export function describeHostKey(key: Buffer | string): { readonly type: string; readonly bits: number } {
  const parsed = ssh2.utils.parseKey(key);
  if (parsed instanceof Error) throw new Error(`SSH host key: ${parsed.message}`);
  const one = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!one || !one.isPrivateKey()) throw new Error('SSH host key: not a private key');
  const pub = one.getPublicSSH();
  if (one.type === 'ssh-rsa') {
    // string "ssh-rsa", mpint e, mpint n: n's length without a leading zero byte gives the bits.
    const eLen = pub.readUInt32BE(11);
    const nAt = 15 + eLen;
    const n = pub.subarray(nAt + 4, nAt + 4 + pub.readUInt32BE(nAt));
    const first = n[0] === 0 ? n.subarray(1) : n;
    return { type: one.type, bits: first.length * 8 - Math.clz32(first[0] ?? 0) + 24 };
  }
  const curve = /^ecdsa-sha2-nistp(\d+)$/.exec(one.type);
  return { type: one.type, bits: curve ? Number(curve[1]) : 256 };
}

const specType = (spec: SshHostKeySpec): string => (spec.kind === 'rsa' ? 'ssh-rsa' : spec.kind === 'ecdsa' ? `ecdsa-sha2-nistp${spec.bits}` : 'ssh-ed25519');

/**
 * The persona instance's host keys in `dir`, in `specs` order, generated there the first time. A
 * kept key of another type or size than the persona says is an error (the operator decides), not
 * silently replaced: replacing would change the fingerprint attackers and scanners have seen.
 */
export async function personaHostKeys(dir: string, specs: readonly SshHostKeySpec[]): Promise<Buffer[]> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keys: Buffer[] = [];
  for (const spec of specs) {
    const path = join(dir, hostKeyFile(spec));
    const exists = await access(path).then(() => true, () => false);
    if (!exists) {
      // 'wx': another process that just wrote the key wins; its key is read below.
      await writeFile(path, generateUsableKey(spec), { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
    }
    const key = await readFile(path);
    const found = describeHostKey(key);
    if (found.type !== specType(spec) || found.bits !== spec.bits) {
      throw new Error(`SSH host key ${path}: ${found.type} ${found.bits} bits, the persona needs ${specType(spec)} ${spec.bits} bits`);
    }
    keys.push(key);
  }
  return keys;
}
