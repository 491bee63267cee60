// Loads a pack's ssh.yaml into the read-only SshPersona view, once at start, and checks what the
// schema cannot: the identification names the software, host key algorithms match the host keys.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SshHostKeySpec, SshPersona } from '../core/ssh-persona.ts';
import { parseYamlWith } from './parse-pack-yaml.ts';
import { sshSchema } from './ssh-schema.ts';

/** The host key a server host key algorithm name signs with; null: hachi cannot serve that algorithm. */
function keyFor(algorithm: string): { kind: SshHostKeySpec['kind']; bits?: number } | null {
  if (algorithm === 'ssh-rsa' || algorithm === 'rsa-sha2-256' || algorithm === 'rsa-sha2-512') return { kind: 'rsa' };
  if (algorithm === 'ssh-ed25519') return { kind: 'ed25519' };
  const ecdsa = /^ecdsa-sha2-nistp(256|384|521)$/.exec(algorithm);
  return ecdsa ? { kind: 'ecdsa', bits: Number(ecdsa[1]) } : null;
}

const matches = (spec: SshHostKeySpec, want: NonNullable<ReturnType<typeof keyFor>>): boolean =>
  spec.kind === want.kind && (want.bits === undefined || spec.bits === want.bits);

/** Returns null (no problem) when the pack has no ssh.yaml. Problems are appended to `problems`. */
export async function loadSshPersona(dir: string, problems: string[]): Promise<SshPersona | null> {
  const file = join(dir, 'ssh.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  const parsed = parseYamlWith(sshSchema, text, file);
  if (!parsed.ok) {
    problems.push(...parsed.problems);
    return null;
  }
  const ssh = parsed.value;
  const before = problems.length;
  if (ssh.ident !== `SSH-2.0-${ssh.software}` && !ssh.ident.startsWith(`SSH-2.0-${ssh.software} `)) {
    problems.push(`${file}: ident: "${ssh.ident}" does not name the software "${ssh.software}"`);
  }
  const kinds = ssh.hostKeys.map((k) => k.kind);
  if (new Set(kinds).size !== kinds.length) problems.push(`${file}: hostKeys: one key per kind (a server loads one of each)`);
  for (const [i, name] of ssh.kexinit.serverHostKey.entries()) {
    const want = keyFor(name);
    if (want === null) problems.push(`${file}: kexinit.serverHostKey[${i}]: "${name}" needs a host key hachi cannot make`);
    else if (!ssh.hostKeys.some((k) => matches(k, want))) problems.push(`${file}: kexinit.serverHostKey[${i}]: no host key in hostKeys signs "${name}"`);
  }
  for (const [i, key] of ssh.hostKeys.entries()) {
    if (!ssh.kexinit.serverHostKey.some((name) => { const want = keyFor(name); return want !== null && matches(key, want); })) {
      problems.push(`${file}: hostKeys[${i}]: the ${key.kind} key is not offered in kexinit.serverHostKey`);
    }
  }
  if (problems.length > before) return null;
  return {
    port: ssh.port,
    software: ssh.software,
    ident: ssh.ident,
    hostKeys: ssh.hostKeys,
    kexinit: ssh.kexinit,
    serverSigAlgs: ssh.serverSigAlgs,
    authMethods: ssh.authMethods,
    sftp: ssh.sftp ?? ssh.software.startsWith('OpenSSH'),
    expected: ssh.expected,
  };
}
