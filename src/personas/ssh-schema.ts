// The schema of personas/<id>/ssh.yaml: the device's sshd as scanners see it (identification line,
// KEXINIT name-lists in the real server's order, host key types, extensions); see docs/personas.md.
import { z } from 'zod';

/** An SSH algorithm name (RFC 4251 6): printable US-ASCII without comma or space, at most 64 chars. */
const algorithm = z.string().regex(/^[\x21-\x2b\x2d-\x7e]{1,64}$/, { message: 'expected an algorithm name like "aes128-ctr"' });
const nameList = z.array(algorithm).min(1).max(64);

const hostKey = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('rsa'), bits: z.int().min(1024).max(8192).multipleOf(8) }),
  z.strictObject({ kind: z.literal('ecdsa'), bits: z.union([z.literal(256), z.literal(384), z.literal(521)]) }),
  z.strictObject({ kind: z.literal('ed25519'), bits: z.literal(256).default(256) }),
]);

export const sshSchema = z.strictObject({
  port: z.int().min(1).max(65535),
  software: z.string().regex(/^[\x21-\x7e]{1,64}$/),
  /** RFC 4253 4.2: "SSH-2.0-softwareversion SP comments", at most 255 bytes with CR LF. */
  ident: z.string().regex(/^SSH-2\.0-[\x21-\x2c\x2e-\x7e]+(?: [\x20-\x7e]*)?$/, { message: 'expected "SSH-2.0-software_version"' }).max(253),
  hostKeys: z.array(hostKey).min(1).max(4),
  kexinit: z.strictObject({
    kex: nameList,
    serverHostKey: nameList,
    ciphers: nameList,
    macs: nameList,
    compression: nameList,
  }),
  serverSigAlgs: z.array(algorithm).min(1).max(64).nullable().default(null),
  authMethods: z.array(z.enum(['publickey', 'password', 'keyboard-interactive'])).min(1).max(3),
  /** Whether the device has an SFTP server for the sftp subsystem (dropbear builds usually have none); default: OpenSSH yes, others no. */
  sftp: z.boolean().optional(),
  expected: z.strictObject({
    nmapVersion: z.string().regex(/^[^\r\n]+$/),
    nmapHostKeys: z.array(z.string().regex(/^\d+ \([A-Z0-9]+\)$/, { message: 'expected "2048 (RSA)"' })).min(1),
  }),
});

export type SshYaml = z.infer<typeof sshSchema>;
