// A public key as OpenSSH prints it in logs: "ssh-ed25519 SHA256:<base64 of its SHA-256, unpadded>".
import { createHash } from 'node:crypto';

export function keyFingerprint(algo: string, blob: Uint8Array): string {
  const digest = createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  return `${algo.replace(/[^\x21-\x7e]/g, '').slice(0, 64)} SHA256:${digest}`;
}
