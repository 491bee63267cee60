// The protocol-aware recorders of relayed sessions, one per protocol: each replays the attacker's
// commands (or an exploit's payload) in a shadow shell of the device's model — its fallback persona,
// else any — so what they fetch or write is collected as in an emulated session.
import type { HttpInspector } from '../core/http.ts';
import type { PersonaView } from '../core/persona.ts';
import type { Clock, SessionEmitter, ShellFactory } from '../core/ports.ts';
import type { Capture } from '../capture/capture.ts';
import type { DeviceConfig } from '../config/schema.ts';
import { createRelayHttpTap } from '../collect/relay-http-tap.ts';
import { createRelayShadow } from '../collect/relay-shadow.ts';
import { createRelaySshTap } from '../collect/relay-ssh-tap.ts';
import { createRelayTelnetTap } from '../collect/relay-telnet-tap.ts';
import type { SessionDownloads } from '../collect/session-downloads.ts';
import { reportInspection } from '../protocols/http/report-inspection.ts';
import { httpRequestOf } from '../relay/http-request-of.ts';
import type { ExploitFollowThrough } from './http-wiring.ts';
import type { RelayServiceOptions } from './relay-service.ts';

export interface RelayTapDeps {
  readonly personas: ReadonlyMap<string, PersonaView>;
  readonly shells: ShellFactory;
  readonly sessionTools: (events: SessionEmitter, persona: PersonaView) => { capture: Capture; downloads: SessionDownloads };
  readonly exploitFollow: (events: SessionEmitter, persona: PersonaView) => ExploitFollowThrough;
  readonly inspector: HttpInspector | null;
  readonly clock: Clock;
  readonly limits: { readonly maxLineBytes: number; readonly maxOutputBytes: number; readonly maxFileBytes: number; readonly maxSessionWriteBytes: number };
}

type SshTap = NonNullable<RelayServiceOptions['ssh']>['tap'];

export function relayTaps(deps: RelayTapDeps): { telnet: RelayServiceOptions['telnetTap']; http: NonNullable<RelayServiceOptions['httpTap']>; ssh: SshTap } {
  const { personas, shells, limits } = deps;
  const modelOf = (device: DeviceConfig): PersonaView => personas.get(device.persona ?? '') ?? [...personas.values()][0]!;
  return {
    telnet: (events, device) => {
      const persona = modelOf(device);
      const { capture, downloads } = deps.sessionTools(events, persona);
      const shadow = createRelayShadow({ shells, persona, events, capture, downloads });
      return createRelayTelnetTap(events, shadow, { maxLineBytes: limits.maxLineBytes, maxOutputBytes: limits.maxOutputBytes });
    },
    // A real device's HTTP traffic gets the same exploit detection; payloads run in a shadow shell of its model.
    http: (events, http, device) => {
      const persona = modelOf(device);
      let follow: ExploitFollowThrough | null = null;
      return createRelayHttpTap(events, {
        limits: http,
        clock: deps.clock,
        inspect: (observed) => {
          if (!deps.inspector) return;
          for (const match of reportInspection(events, deps.inspector, httpRequestOf(observed), device.persona ? persona.deviceClass : null)) (follow ??= deps.exploitFollow(events, persona)).follow(match);
        },
        onEnd: () => follow?.close() ?? Promise.resolve(),
      });
    },
    ssh: (events, device) => {
      const persona = modelOf(device);
      const { capture, downloads } = deps.sessionTools(events, persona);
      const shadow = createRelayShadow({ shells, persona, events, capture, downloads });
      const tap = createRelaySshTap(events, shadow, capture, limits);
      // Uploads are stored in the background: the session is done once they are.
      return { ...tap, done: () => tap.done().then(() => capture.idle()) };
    },
  };
}
