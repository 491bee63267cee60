// With no `services` in the config, every bundled persona gets a Telnet service: the first on
// 2323 (a port IoT bots scan), the next ones on the ports after it.
import type { PersonaView } from '../core/persona.ts';
import type { ServiceConfig } from '../config/schema.ts';

export const FIRST_TELNET_PORT = 2323;

export function defaultServices(personas: readonly PersonaView[]): ServiceConfig[] {
  return personas.map((persona, index) => ({
    name: `telnet-${persona.id}`,
    protocol: 'telnet',
    host: '0.0.0.0',
    port: FIRST_TELNET_PORT + index,
    persona: persona.id,
  }));
}
