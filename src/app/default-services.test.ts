// The defaults that `hachi run` serves without a configuration: every persona over Telnet and SSH and each of
// its web servers, unprivileged ports only, no two services on one port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadPersonaPacks } from '../personas/load-pack.ts';
import { defaultServices } from './default-services.ts';

test('all bundled personas: Telnet from 2323, web servers on their own high ports or from 8080', async () => {
  const personas = await loadPersonaPacks(fileURLToPath(new URL('../../personas', import.meta.url)));
  const services = defaultServices(personas);
  const ports = services.map((s) => s.port);
  assert.equal(new Set(ports).size, ports.length, 'no two services share a port');
  assert.ok(ports.every((p) => p > 1023), 'no privileged port');
  assert.deepEqual(services.filter((s) => s.protocol === 'telnet').map((s) => s.port), [2323, 2324, 2325].slice(0, personas.length));
  // Only personas with an sshd of their own (ssh.yaml) get SSH.
  assert.deepEqual(services.filter((s) => s.protocol === 'ssh').map((s) => [s.port, s.persona]), personas.filter((p) => p.ssh !== undefined).map((p, i) => [2222 + i, p.id]));
  assert.ok(services.some((s) => s.protocol === 'ssh'));
  const web = services.filter((s) => s.protocol === 'http');
  assert.ok(web.length >= personas.length, 'each bundled persona has a web server');
  for (const s of web) assert.ok(s.webPort !== undefined && (s.webPort > 1023 ? s.port === s.webPort : s.port >= 8080), JSON.stringify(s));
  assert.ok(web.some((s) => s.webPort === 52869 && s.port === 52869), 'the router UPnP port as on the device');
});
