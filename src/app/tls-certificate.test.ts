// Tests of the HTTPS service certificate: made once with openssl, device-like subject, reused.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { testPersona } from '../testing/test-persona.ts';
import { certificateSubject, serviceCertificate } from './tls-certificate.ts';

test('the subject is the persona model and vendor, without characters openssl -subj would read', () => {
  assert.equal(certificateSubject({ model: 'DS-2CD/2032=F', vendor: 'Hikvision, Inc.' }), '/CN=DS-2CD2032F/O=Hikvision Inc.');
  assert.equal(certificateSubject({ model: '///', vendor: '' }), '/CN=device/O=device');
});

test('a certificate is made once per service and reused', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'hachi-tls-'));
  try {
    const persona = { ...testPersona(), model: 'IPC-HI3516D', vendor: 'Xiongmai' };
    const first = await serviceCertificate({ dataDir, service: 'web-tls', persona });
    const cert = new X509Certificate(first.cert);
    assert.match(cert.subject, /CN=IPC-HI3516D/);
    assert.match(cert.subject, /O=Xiongmai/);
    assert.equal(cert.issuer, cert.subject);
    const again = await serviceCertificate({ dataDir, service: 'web-tls', persona, openssl: '/nonexistent/openssl' });
    assert.deepEqual(again.cert, first.cert);
    await assert.rejects(serviceCertificate({ dataDir, service: 'other', persona, openssl: '/nonexistent/openssl' }), /could not make a certificate/);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
