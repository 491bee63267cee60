// With no `services` in the config, every bundled persona is served: a Telnet service each (the
// first on 2323, a port IoT bots scan, the next ones after it), an SSH service for each that runs an
// sshd (2222 and up), and each of its web servers — web ports above 1023 as on the device (52869,
// 37215, ...), privileged ones (80, 443) on 8080 and up.
import type { PersonaView } from '../core/persona.ts';
import type { ServiceConfig } from '../config/schema.ts';
import { webPorts } from '../web/web-responder.ts';

export const FIRST_TELNET_PORT = 2323;
export const FIRST_SSH_PORT = 2222;
export const FIRST_HTTP_PORT = 8080;

export function defaultServices(personas: readonly PersonaView[]): ServiceConfig[] {
  const services: ServiceConfig[] = personas.map((persona, index) => ({
    name: `telnet-${persona.id}`,
    protocol: 'telnet',
    host: '0.0.0.0',
    port: FIRST_TELNET_PORT + index,
    persona: persona.id,
  }));
  // Only a device that runs an sshd (its ssh.yaml) gets one: ssh2's own banner would give hachi away.
  personas
    .filter((persona) => persona.ssh !== undefined)
    .forEach((persona, index) => {
      services.push({ name: `ssh-${persona.id}`, protocol: 'ssh', host: '0.0.0.0', port: FIRST_SSH_PORT + index, persona: persona.id });
    });
  const used = new Set(services.map((s) => s.port));
  let next = FIRST_HTTP_PORT;
  const nextFree = (): number => {
    while (used.has(next)) next += 1;
    return next;
  };
  for (const persona of personas) {
    for (const web of webPorts(persona)) {
      const port = web.port > 1023 && !used.has(web.port) ? web.port : nextFree();
      used.add(port);
      services.push({ name: `${web.tls ? 'https' : 'http'}-${persona.id}-${web.port}`, protocol: 'http', tls: web.tls, host: '0.0.0.0', port, persona: persona.id, webPort: web.port });
    }
  }
  return services;
}
