// Wires one HTTP(S) service: its limits from the config, its certificate when it serves TLS, and a
// handler that turns each accepted socket into an HTTP session with the persona's responder.
import type { Socket } from 'node:net';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import type { HttpServiceConfig, ServiceConfig, SessionLimits } from '../config/schema.ts';
import { httpServiceSchema } from '../config/schema.ts';
import type { Endpoint } from '../core/events.ts';
import type { ExploitMatch, HttpInspector, HttpRequest, HttpResponder } from '../core/http.ts';
import type { PersonaView } from '../core/persona.ts';
import type { Clock, Logger, SessionEmitter, ShutdownNotice } from '../core/ports.ts';
import { loadHttpInspector } from '../exploits/http-inspector.ts';
import { handleHttp, type HttpLimits } from '../protocols/http/session.ts';
import { noHttpInspection } from './http-fallbacks.ts';
import { serviceCertificate } from './tls-certificate.ts';

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
  readonly onExploit?: (match: ExploitMatch, request: HttpRequest, events: SessionEmitter) => void;
}

export type HttpHandler = (socket: Socket, src: Endpoint, dst: Endpoint) => Promise<void>;

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
    const onExploit = options.onExploit;
    return handleHttp(stream, {
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
      onExploit: onExploit ? (match, request) => onExploit(match, request, events) : undefined,
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
