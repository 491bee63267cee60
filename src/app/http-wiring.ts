// Everything the HTTP services share: the exploit inspector with hot-reloaded signatures (built in,
// then <data>/signatures/), the follow-through of exploits in a throwaway shell, a handler per
// service, and the fallback web servers of relayed devices' personas.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config, ServiceConfig, SessionLimits } from '../config/schema.ts';
import type { Endpoint } from '../core/events.ts';
import type { ExploitMatch, HttpResponder } from '../core/http.ts';
import type { PersonaView } from '../core/persona.ts';
import type { Clock, Logger, SessionEmitter, ShellFactory, ShutdownNotice } from '../core/ports.ts';
import type { Capture } from '../capture/capture.ts';
import { createExploitFollow } from '../collect/exploit-follow.ts';
import type { SessionDownloads } from '../collect/session-downloads.ts';
import { builtinSignatureDir } from '../exploits/load-signatures.ts';
import { createWebResponder } from '../web/web-responder.ts';
import { noHttpInspection } from './http-fallbacks.ts';
import { createHttpHandler, webPortOf, type HttpHandler } from './http-service.ts';
import { startReloadingInspector, type ReloadingInspector } from './inspector-reload.ts';

/** How often the signature directories are checked for new or changed files. */
const SIGNATURE_CHECK_MS = 5000;

export interface ExploitFollowThrough {
  follow(match: ExploitMatch): void;
  close(): Promise<void>;
}

export interface HttpWiringDeps {
  readonly config: Config;
  readonly services: readonly ServiceConfig[];
  readonly dataDir: string;
  readonly logger: Logger;
  readonly limits: SessionLimits;
  readonly clock: Clock;
  readonly shutdown: ShutdownNotice;
  readonly shells: ShellFactory;
  readonly sessionTools: (events: SessionEmitter, persona: PersonaView) => { capture: Capture; downloads: SessionDownloads };
  readonly background: (work: Promise<void>) => void;
  /** A session emitter with protocol 'http', mode 'emulated', for one connection to the persona. */
  readonly emitter: (persona: PersonaView, src: Endpoint, dst: Endpoint) => SessionEmitter;
}

export interface HttpWiring {
  /** Null when nothing is served over HTTP (no signatures loaded). */
  readonly inspector: ReloadingInspector | null;
  exploitFollow(events: SessionEmitter, persona: PersonaView): ExploitFollowThrough;
  handlerFor(service: ServiceConfig, persona: PersonaView, responder: HttpResponder): Promise<HttpHandler>;
  /** The web server of a device's fallback persona for each relayed HTTP service, by "persona:devicePort". */
  fallbackWebServers(personas: ReadonlyMap<string, PersonaView>): Promise<Map<string, HttpHandler>>;
  stop(): void;
}

export async function createHttpWiring(deps: HttpWiringDeps): Promise<HttpWiring> {
  const { config, dataDir } = deps;
  const wantsHttp = deps.services.some((s) => s.protocol === 'http') || config.devices.some((d) => d.services.some((s) => s.protocol === 'http'));
  const localSignatures = join(dataDir, 'signatures');
  // Made at start so operators see where their own signature files go.
  if (wantsHttp) await mkdir(localSignatures, { recursive: true });
  const inspector = wantsHttp ? await startReloadingInspector({ signatureDirs: [builtinSignatureDir(), localSignatures], intervalMs: SIGNATURE_CHECK_MS, logger: deps.logger }) : null;

  /** An exploit's injected command runs in a throwaway shell of the persona (or the device's model). */
  const exploitFollow = (events: SessionEmitter, persona: PersonaView): ExploitFollowThrough => {
    const { capture, downloads } = deps.sessionTools(events, persona);
    const follow = createExploitFollow({ shells: deps.shells, persona, events, capture, downloads });
    return {
      follow: (match) => follow.follow(match),
      close: async () => {
        await follow.close();
        await capture.idle();
        await downloads.idle();
      },
    };
  };
  const handlerFor = (service: ServiceConfig, persona: PersonaView, responder: HttpResponder): Promise<HttpHandler> =>
    createHttpHandler({
      service,
      persona,
      responder,
      inspector: inspector ?? noHttpInspection,
      followThrough: (events) => exploitFollow(events, persona),
      background: deps.background,
      sessions: deps.limits,
      dataDir,
      clock: deps.clock,
      shutdown: deps.shutdown,
      emitter: (src, dst) => deps.emitter(persona, src, dst),
    });
  return {
    inspector,
    exploitFollow,
    handlerFor,
    async fallbackWebServers(personas) {
      const handlers = new Map<string, HttpHandler>();
      for (const device of config.devices) {
        const persona = device.persona === undefined ? undefined : personas.get(device.persona);
        for (const s of device.services) {
          if (!persona || s.protocol !== 'http' || handlers.has(`${persona.id}:${s.devicePort}`)) continue;
          const service: ServiceConfig = { name: `${device.name}-fallback-${s.devicePort}`, protocol: 'http', host: s.host, port: s.devicePort, persona: persona.id };
          const responder = createWebResponder({ persona, port: webPortOf(persona, service) });
          if (!responder) continue; // a persona without a web server cannot stand in for one
          handlers.set(`${persona.id}:${s.devicePort}`, await handlerFor(service, persona, responder));
        }
      }
      return handlers;
    },
    stop: () => inspector?.stop(),
  };
}
