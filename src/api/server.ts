// The dashboard's query API: its own node:http listener (never a honeypot port), JSON only, strict
// security headers on every response, bounded request targets, bearer token off loopback.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HachiError } from '../core/errors.ts';
import type { Logger } from '../core/ports.ts';
import type { Store } from '../storage/store.ts';
import { bearerMatches, bindProblem, isLoopbackHost } from './access.ts';
import { ParameterError } from './params.ts';
import type { ApiResponse, ApiRoute } from './route.ts';
import { matchRoute } from './route-match.ts';

export interface ApiServerOptions {
  readonly host: string;
  /** 0 asks the system for a free port. */
  readonly port: number;
  /** Required unless `host` is a loopback address. */
  readonly token?: string;
  readonly store: Store;
  readonly routes: readonly ApiRoute[];
  readonly logger: Logger;
}

export interface ApiServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Longest request target (path and query) served; longer ones get 414. */
export const MAX_TARGET = 2048;
/** Most query parameters in one request. */
export const MAX_QUERY_PARAMS = 32;

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/json; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const error = (status: number, code: string, message: string): ApiResponse => ({ status, body: { error: code, message } });

function send(res: ServerResponse, response: ApiResponse, method: string | undefined): void {
  // JSON.stringify escapes quotes and control characters; < > & are escaped as well so that no
  // attacker string is ever markup, even for a client that sniffs or embeds the body.
  const body = JSON.stringify(response.body).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  res.writeHead(response.status, { ...SECURITY_HEADERS, 'Content-Length': Buffer.byteLength(body) });
  res.end(method === 'HEAD' ? undefined : body);
}

/** One request to a response; never throws (internals stay in the log, not the body). */
export async function answer(req: IncomingMessage, options: Pick<ApiServerOptions, 'token' | 'store' | 'routes' | 'logger'>): Promise<ApiResponse> {
  const target = req.url ?? '/';
  if (target.length > MAX_TARGET) return error(414, 'uri_too_long', `request target longer than ${MAX_TARGET} characters`);
  if (options.token !== undefined && !bearerMatches(req.headers.authorization, options.token)) {
    return error(401, 'unauthorized', 'missing or wrong bearer token');
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return error(405, 'method_not_allowed', 'only GET is served');
  let url: URL;
  try {
    url = new URL(target, 'http://api.invalid');
  } catch {
    return error(400, 'bad_request', 'malformed request target');
  }
  if ([...url.searchParams.keys()].length > MAX_QUERY_PARAMS) return error(400, 'bad_request', `more than ${MAX_QUERY_PARAMS} query parameters`);
  const match = matchRoute(options.routes, url.pathname);
  if (match === 'bad-path') return error(400, 'bad_request', 'malformed path');
  if (match === null) return error(404, 'not_found', 'no such route');
  try {
    return await match.route.handle({ params: match.params, query: url.searchParams }, options.store);
  } catch (caught) {
    if (caught instanceof ParameterError) return { status: 400, body: { error: 'bad_request', parameter: caught.parameter, message: caught.message } };
    options.logger.warn('dashboard api request failed', { route: match.route.path, error: caught instanceof Error ? caught.message : String(caught) });
    return error(500, 'internal', 'internal error');
  }
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const problem = bindProblem(options.host, options.token);
  if (problem !== null) throw new HachiError('HACHI_ERR_CONFIG', problem);
  // On loopback a configured token is still enforced; off loopback it always is.
  const token = options.token === '' ? undefined : options.token;
  const server = createServer({ maxHeaderSize: 16 * 1024, requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
    // GET only: a request body is never read, and the connection is not kept for one.
    req.resume();
    void answer(req, { ...options, token }).then((response) => send(res, response, req.method));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause: Error) => reject(new HachiError('HACHI_ERR_BIND', `dashboard api cannot listen on ${options.host}:${options.port}: ${cause.message}`, { cause })));
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info('dashboard api listening', { host: options.host, port, token: token !== undefined, loopback: isLoopbackHost(options.host) });
  return {
    host: options.host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
