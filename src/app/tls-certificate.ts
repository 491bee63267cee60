// A device-like self-signed certificate for an HTTPS service, made once per service under
// <dataDir>/tls/<service>/ with `openssl req -x509` (argv, never a shell) and reused after that.
import { execFile } from 'node:child_process';
import { access, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PersonaView } from '../core/persona.ts';

const run = promisify(execFile);

export interface TlsMaterial {
  readonly key: Buffer;
  readonly cert: Buffer;
}

/** Subject values as an embedded device's factory certificate has them: model and vendor, nothing that openssl's -subj syntax would read. */
function subjectValue(text: string, fallback: string): string {
  const clean = text.replace(/[^A-Za-z0-9 ._-]/g, '').trim().slice(0, 64);
  return clean === '' ? fallback : clean;
}

export function certificateSubject(persona: Pick<PersonaView, 'model' | 'vendor'>): string {
  return `/CN=${subjectValue(persona.model, 'device')}/O=${subjectValue(persona.vendor, 'device')}`;
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/** Returns the service's key and certificate, generating them the first time; throws when openssl fails. */
export async function serviceCertificate(options: { readonly dataDir: string; readonly service: string; readonly persona: PersonaView; readonly openssl?: string }): Promise<TlsMaterial> {
  const dir = join(options.dataDir, 'tls', options.service);
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  if (!((await exists(keyPath)) && (await exists(certPath)))) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // Written under temporary names and renamed, so an interrupted run never leaves half a pair.
    const tmpKey = `${keyPath}.tmp`;
    const tmpCert = `${certPath}.tmp`;
    try {
      await run(options.openssl ?? 'openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-sha256', '-nodes', '-days', '7300', '-keyout', tmpKey, '-out', tmpCert, '-subj', certificateSubject(options.persona)], { timeout: 60_000 });
    } catch (error) {
      await Promise.all([rm(tmpKey, { force: true }), rm(tmpCert, { force: true })]);
      throw new Error(`could not make a certificate with openssl: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    await rename(tmpKey, keyPath);
    await rename(tmpCert, certPath);
  }
  return { key: await readFile(keyPath), cert: await readFile(certPath) };
}
