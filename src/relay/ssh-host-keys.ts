// The host keys hachi shows attackers in front of a device: the device's own (an operator copies
// them from it), or, when none are configured, one ed25519 and one RSA key generated on first run
// and kept (mode 0600) so the relay's fingerprint does not change between restarts.
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { generateUsableKey } from '../protocols/ssh/host-keys.ts';

// generateUsableKey retries the ed25519 keys ssh2 1.17 cannot read back.
const GENERATED = [
  { file: 'ssh_host_ed25519_key', make: () => generateUsableKey({ kind: 'ed25519', bits: 256 }) },
  { file: 'ssh_host_rsa_key', make: () => generateUsableKey({ kind: 'rsa', bits: 3072 }) },
] as const;

/** Reads private host keys (checked to parse); the error names the file that is no usable private key. */
export async function loadHostKeys(paths: readonly string[]): Promise<Buffer[]> {
  const keys: Buffer[] = [];
  for (const path of paths) {
    const bytes = await readFile(path);
    const parsed = ssh2.utils.parseKey(bytes);
    if (parsed instanceof Error) throw new Error(`SSH host key ${path}: ${parsed.message}`);
    if (!parsed.isPrivateKey()) throw new Error(`SSH host key ${path}: not a private key`);
    keys.push(bytes);
  }
  return keys;
}

/** The keys kept in `dir`, generated there the first time. */
export async function generatedHostKeys(dir: string): Promise<Buffer[]> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const paths: string[] = [];
  for (const key of GENERATED) {
    const path = join(dir, key.file);
    const exists = await access(path).then(() => true, () => false);
    // 'wx': an existing key is kept as it is (another process may have just written it).
    if (!exists) {
      await writeFile(path, key.make(), { mode: 0o600, flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
    }
    paths.push(path);
  }
  return loadHostKeys(paths);
}
