// Wires one HTTP(S) service: its limits from the config, its certificate when it serves TLS, and a
// handler that turns each accepted socket into an HTTP session with the persona's responder.
import type { Socket } from 'node:net';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import type { HttpServiceConfig, ServiceConfig, SessionLimits } from '../config/schema.ts';
import { httpServiceSchema } from '../config/schema.ts';
import type { Endpoint } from '../core/events.ts';
import type { ExploitMatch, HttpInspector, HttpResponder } from '../core/http.ts';
import type { PersonaView } from '../core/persona.ts';
import type { Clock, Logger, SessionEmitter, ShutdownNotice } from '../core/ports.ts';
import { loadHttpInspector } from '../exploits/http-inspector.ts';
import { handleHttp, type HttpLimits } from '../protocols/http/session.ts';
import { noHttpInspection } from './http-fallbacks.ts';
import { serviceCertificate } from './tls-certificate.ts';
import { webPorts } from '../web/web-responder.ts';

export interface HttpServiceOptions {
  readonly service: ServiceConfig;
  readonly persona: PersonaView;
  readonly responder: HttpResponder;
  readonly inspector: HttpInspector;
  readonly sessions: SessionLimits;
  readonly dataDir: string;
  readonly clock: Clock;
  readonly shutdown: ShutdownNotice;
  /** A session emitter with protocol 'http' for one connection. */
  readonly emitter: (src: Endpoint, dst: Endpoint) => SessionEmitter;
  /** Follow-through of the exploits on one connection (made on its first match): payloads run in a throwaway shell. */
  readonly followThrough?: (events: SessionEmitter) => { follow(match: ExploitMatch): void; close(): Promise<void> };
  /** Background work a session leaves (its exploits' downloads) is handed here. */
  readonly background?: (work: Promise<void>) => void;
}

export type HttpHandler = (socket: Socket, src: Endpoint, dst: Endpoint) => Promise<void>;

/** The persona web server a service serves: `webPort`, else its own port when the persona serves that, else the persona's first. */
export function webPortOf(persona: PersonaView, service: ServiceConfig): number {
  if (service.webPort !== undefined) return service.webPort;
  const ports = webPorts(persona).map((p) => p.port);
  return ports.includes(service.port) ? service.port : (ports[0] ?? service.port);
}

export function httpLimits(http: HttpServiceConfig | undefined, sessions: SessionLimits): HttpLimits {
  const h = http ?? httpServiceSchema.parse({});
  return {
    maxHeaderBytes: h.maxHeaderBytes,
    maxHeaderCount: h.maxHeaderCount,
    maxBodyBytes: h.maxBodyBytes,
    maxBodyReadBytes: h.maxBodyReadBytes,
    maxRawBytes: 4096,
    maxRequests: h.maxRequests,
    headerTimeoutMs: h.headerTimeoutMs,
    idleTimeoutMs: h.idleTimeoutMs,
    maxSessionMs: sessions.maxSessionMs,
    maxInputBytes: sessions.maxInputBytes,
  };
}

/** Prepares the service (its certificate first, when it serves TLS); throws when that fails. */
export async function createHttpHandler(options: HttpServiceOptions): Promise<HttpHandler> {
  const { service, persona } = options;
  const limits = httpLimits(service.http, options.sessions);
  let context: SecureContext | null = null;
  if (service.tls === true) {
    const material = await serviceCertificate({ dataDir: options.dataDir, service: service.name, persona });
    context = createSecureContext({ key: material.key, cert: material.cert });
  }
  return (socket, src, dst) => {
    const events = options.emitter(src, dst);
    // The TLS socket is a Duplex like any other: the session never knows it is encrypted.
    const stream = context === null ? socket : new TLSSocket(socket, { isServer: true, secureContext: context });
    const makeFollow = options.followThrough;
    let follow: ReturnType<NonNullable<HttpServiceOptions['followThrough']>> | null = null;
    const done = handleHttp(stream, {
      events,
      responder: options.responder,
      inspector: options.inspector,
      deviceClass: persona.deviceClass,
      src,
      dst,
      tls: context !== null,
      clock: options.clock,
      limits,
      shutdown: options.shutdown,
      onExploit: makeFollow ? (match) => (follow ??= makeFollow(events)).follow(match) : undefined,
    });
    return done.then(() => {
      // The session is over for the attacker; what its exploits fetch may take longer.
      if (follow) options.background?.(follow.close());
    });
  };
}

/** The exploit signatures and scanner fingerprints (src/exploits); with none loadable, nothing is matched and the operator is told. */
export async function loadInspector(logger: Logger): Promise<HttpInspector> {
  try {
    const load = await loadHttpInspector();
    for (const problem of load.problems) logger.warn('exploit signature skipped', { problem });
    logger.info('exploit signatures loaded', { signatures: load.signatures, scanners: load.scanners });
    return load.inspector;
  } catch (error) {
    logger.warn('exploit signatures not loaded; HTTP requests are not inspected', { error: error instanceof Error ? error.message : String(error) });
    return noHttpInspection;
  }
}
