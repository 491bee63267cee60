// The HttpResponder of one persona web server (one WebSite): routes, templates, Basic/Digest/form
// auth with `auth.attempt` events, the device's error pages, and exploit-aware answers. No I/O.
import { randomBytes } from 'node:crypto';
import type { SessionEmitter } from '../core/ports.ts';
import type { ExploitMatch, HttpExchange, HttpRequest, HttpResponder, HttpResponse } from '../core/http.ts';
import type { PersonaView } from '../core/persona.ts';
import type { WebAuthKind, WebErrorStatus, WebResponseSpec, WebRoute, WebSite } from '../core/web-persona.ts';
import { basicCredentials } from './basic-auth.ts';
import { digestParams, digestResponse, DigestNonces } from './digest-auth.ts';
import { LoginSessions } from './login-sessions.ts';
import { matchRoute } from './match-route.ts';
import { httpDate, renderResponse, type TemplateVars } from './render.ts';
import { cookieValue, formFields, headerValue } from './request-fields.ts';

export interface WebResponderOptions {
  readonly persona: PersonaView;
  /** The port this responder serves; picks the persona's site for it. */
  readonly port: number;
  /** Random bytes for the Digest nonce secret and session tokens (tests pass a fixed source). */
  readonly random?: (bytes: number) => Uint8Array;
}

/** Ports the persona's web servers listen on, with TLS or not (for wiring listeners). */
export function webPorts(persona: PersonaView): { readonly port: number; readonly tls: boolean }[] {
  return (persona.web?.sites ?? []).flatMap((site) => site.ports.map((p) => ({ port: p.port, tls: p.tls })));
}

/** Null when the persona has no web server on `port`. */
export function createWebResponder(options: WebResponderOptions): HttpResponder | null {
  const site = options.persona.web?.sites.find((s) => s.ports.some((p) => p.port === options.port));
  return site ? new WebResponder(options.persona, site, options.random ?? ((n) => new Uint8Array(randomBytes(n)))) : null;
}

type AuthOutcome = { readonly ok: true } | { readonly ok: false; readonly stale: boolean };

class WebResponder implements HttpResponder {
  readonly serverName: string | null;
  readonly #site: WebSite;
  readonly #fixedVars: TemplateVars;
  readonly #nonces: DigestNonces;
  readonly #sessions: LoginSessions;
  /** Attempts per connection, keyed by the connection's emitter (forgotten with it). */
  readonly #attempts = new WeakMap<SessionEmitter, number>();

  constructor(persona: PersonaView, site: WebSite, random: (bytes: number) => Uint8Array) {
    this.#site = site;
    this.serverName = site.server;
    this.#nonces = new DigestNonces(random(32), site.digest.nonceLifetimeSeconds);
    this.#sessions = new LoginSessions(random);
    const mac = persona.network.interfaces.find((i) => i.mac !== null)?.mac ?? '00:00:00:00:00:00';
    this.#fixedVars = {
      hostname: persona.hostname,
      model: persona.model,
      firmware: persona.firmware,
      vendor: persona.vendor,
      name: persona.name,
      mac,
      realm: site.realm,
      opaque: site.digest.opaque,
    };
  }

  respond(request: HttpRequest, exchange: HttpExchange, exploits: readonly ExploitMatch[]): HttpResponse {
    const now = exchange.now();
    const version = this.#version(request);
    const head = request.method === 'HEAD';
    // A server that mirrors the request's version closes after an HTTP/1.0 request unless asked to keep it.
    const oneZeroClose = this.#site.version === 'request' && version === 'HTTP/1.0' && !/keep-alive/i.test(headerValue(request.headers, 'connection') ?? '');
    const answer = (spec: WebResponseSpec, extra: TemplateVars = {}): HttpResponse => {
      const vars = { ...this.#fixedVars, 'date-http': httpDate(now), nonce: this.#nonces.issue(now, this.#site.realm), stale: '', ...extra };
      const response = renderResponse(spec, { version, head, vars });
      return oneZeroClose && !response.close ? { ...response, close: true } : response;
    };
    const error = (status: WebErrorStatus, extra: TemplateVars = {}): HttpResponse => answer(this.#site.errors[status], extra);

    const forged = exploits.find((e) => e.response !== null)?.response;
    if (forged) return { ...forged, version: forged.version ?? version, body: head ? new Uint8Array(0) : forged.body };
    if (request.error !== null) return error(400);
    if (!this.#site.methods.includes(request.method)) return error(501);

    const found = matchRoute(this.#site, request.method, request.path);
    if (found.kind !== 'route') {
      // An exploit aims at a vulnerable handler the pages do not show: answer as that handler does.
      if (exploits.length > 0 && this.#site.exploitFallback) return answer(this.#site.exploitFallback);
      return error(found.kind === 'wrong-method' ? this.#site.wrongMethodStatus : 404);
    }
    const { route } = found;
    if (route.login && request.method === 'POST') return this.#formLogin(route, request, exchange, answer);
    const auth = this.#authorise(route.auth, request, exchange, now);
    if (!auth.ok) {
      if (route.auth === 'session') return this.#site.loginRequired ? answer(this.#site.loginRequired) : error(401);
      return error(401, { stale: auth.stale ? ', stale=true' : '' });
    }
    return answer(route.response);
  }

  #version(request: HttpRequest): string {
    if (this.#site.version !== 'request') return this.#site.version;
    return request.version === 'HTTP/1.0' ? 'HTTP/1.0' : 'HTTP/1.1';
  }

  #authorise(kind: WebAuthKind, request: HttpRequest, exchange: HttpExchange, now: number): AuthOutcome {
    switch (kind) {
      case 'none':
        return { ok: true };
      case 'session':
        return this.#site.sessionCookie !== null && this.#sessions.user(cookieValue(request.headers, this.#site.sessionCookie)) !== null
          ? { ok: true }
          : { ok: false, stale: false };
      case 'basic': {
        const given = basicCredentials(request.headers);
        if (given === null) return { ok: false, stale: false };
        const success = this.#accepts(given.username, given.password);
        this.#record(exchange, 'http-basic', given.username, given.password, success);
        return success ? { ok: true } : { ok: false, stale: false };
      }
      case 'digest': {
        const given = digestParams(request.headers);
        if (given === null) return { ok: false, stale: false };
        const nonce = this.#nonces.check(given.nonce, now, this.#site.realm);
        // A stale nonce is the client's cue to retry with a fresh one; it is not yet an attempt.
        if (nonce === 'stale') return { ok: false, stale: true };
        const success =
          nonce === 'valid' &&
          this.#site.credentials.some((c) => c.username === given.username && digestResponse(given, request.method, this.#site.realm, c.password) === given.response);
        this.#record(exchange, 'http-digest', given.username, '', success);
        return success ? { ok: true } : { ok: false, stale: false };
      }
    }
  }

  #formLogin(route: WebRoute, request: HttpRequest, exchange: HttpExchange, answer: (spec: WebResponseSpec, extra?: TemplateVars) => HttpResponse): HttpResponse {
    const login = route.login;
    if (login === null) return answer(route.response);
    const fields = formFields(request.body);
    const username = fields.get(login.usernameField);
    if (username === undefined) return answer(login.failure);
    const password = fields.get(login.passwordField) ?? '';
    const success = this.#accepts(username, password);
    this.#record(exchange, 'http-form', username, password, success);
    return success ? answer(login.success, { session: this.#sessions.open(username) }) : answer(login.failure);
  }

  #accepts(username: string, password: string): boolean {
    return this.#site.credentials.some((c) => c.username === username && c.password === password);
  }

  #record(exchange: HttpExchange, method: 'http-basic' | 'http-digest' | 'http-form', username: string, password: string, success: boolean): void {
    const attempt = (this.#attempts.get(exchange.events) ?? 0) + 1;
    this.#attempts.set(exchange.events, attempt);
    exchange.events.emit('auth.attempt', { method, username: username.slice(0, 256), password: password.slice(0, 256), success, attempt });
  }
}
