// One HTTP/1.0 or 1.1 connection to a device's web server over any Duplex: each request is recorded
// (http.request), inspected (exploit.detected, http.scanner), answered by the persona's responder in
// order (keep-alive, pipelining) within limits; always ends with exactly one `session.close`.
import type { Duplex } from 'node:stream';
import type { CloseReason, Endpoint, LimitName } from '../../core/events.ts';
import type { ExploitMatch, HttpExchange, HttpInspector, HttpRequest, HttpResponder } from '../../core/http.ts';
import type { Clock, SessionEmitter, ShutdownNotice } from '../../core/ports.ts';
import { keepsAlive } from './keep-alive.ts';
import { reportInspection } from './report-inspection.ts';
import { createRequestParser, type ParsedRequest, type RequestLimits } from './request-parser.ts';
import { responseHasBody, writeResponse } from './response-writer.ts';
import { createSessionTimers } from './session-timers.ts';

export interface HttpLimits extends RequestLimits {
  /** Requests answered on one connection; one more is `session.limit` 'requests' and close. */
  readonly maxRequests: number;
  /** A request head must be complete this long after its first byte (slowloris). 0 disables. */
  readonly headerTimeoutMs: number;
  /** Close after this long without input. 0 disables. */
  readonly idleTimeoutMs: number;
  /** Close after this long in total. 0 disables. */
  readonly maxSessionMs: number;
  /** Total bytes a client may send. */
  readonly maxInputBytes: number;
}

export const defaultHttpLimits: HttpLimits = {
  maxHeaderBytes: 16 * 1024,
  maxHeaderCount: 100,
  maxBodyBytes: 64 * 1024,
  maxBodyReadBytes: 1024 * 1024,
  maxRawBytes: 4096,
  maxRequests: 1000,
  headerTimeoutMs: 10_000,
  idleTimeoutMs: 60_000,
  maxSessionMs: 10 * 60_000,
  maxInputBytes: 16 * 1024 * 1024,
};

export interface HttpContext {
  readonly events: SessionEmitter;
  readonly responder: HttpResponder;
  readonly inspector: HttpInspector;
  /** The persona's device class: an exploit is `affected` when its classes include it. */
  readonly deviceClass: string;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly tls: boolean;
  readonly clock: Clock;
  readonly limits: HttpLimits;
  readonly shutdown?: ShutdownNotice;
  /** Follow-through of a detected exploit (its payload run in a throwaway shell); must not throw. */
  readonly onExploit?: (match: ExploitMatch, request: HttpRequest) => void;
}

/** Pending output is given this long to reach the client after the session ends; then the stream is destroyed. */
const END_GRACE_MS = 2000;

/** Runs the session to its end; never rejects. */
export function handleHttp(stream: Duplex, ctx: HttpContext): Promise<void> {
  const { events, clock, limits } = ctx;
  const startedAt = clock.now();
  const parser = createRequestParser(limits, { tls: ctx.tls });
  const exchange: HttpExchange = { events, src: ctx.src, dst: ctx.dst, now: clock.now };
  let bytesIn = 0;
  let bytesOut = 0;
  let stopped = false;
  let inputEnded = false;
  let pumping = false;
  let forgetShutdown: (() => void) | null = null;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const finish = (reason: CloseReason): void => {
    if (stopped) return;
    stopped = true;
    timers.clear();
    forgetShutdown?.();
    stream.off('data', onData);
    stream.pause();
    events.emit('session.close', { reason, durationMs: Math.max(0, clock.now() - startedAt), bytesIn, bytesOut });
    const grace = setTimeout(() => stream.destroy(), END_GRACE_MS).unref();
    const closed = (): void => {
      clearTimeout(grace);
      stream.destroy();
      resolveDone();
    };
    if (stream.writableFinished || stream.destroyed) closed();
    else {
      stream.once('finish', closed);
      stream.once('close', closed);
      stream.end();
    }
  };
  const limitHit = (limit: LimitName, max: number, detail: string): void => {
    if (stopped) return;
    events.emit('session.limit', { limit, max, detail });
    finish('limit');
  };

  const timers = createSessionTimers(limits, {
    idle: () => finish('idle-timeout'),
    maxDuration: () => finish('max-duration'),
    header: () => {
      const cut = parser.end(`request head not complete within ${limits.headerTimeoutMs} ms`);
      if (cut) record(cut.request);
      limitHit('header-timeout', limits.headerTimeoutMs, `request head not complete within ${limits.headerTimeoutMs} ms`);
    },
  });

  /** Emits the request's events and returns the exploits it carries. */
  const record = (request: HttpRequest): readonly ExploitMatch[] => {
    events.emit('http.request', {
      seq: request.seq,
      method: request.method,
      path: request.path,
      query: request.query,
      version: request.version,
      headers: request.headers,
      body: latin1(request.body),
      bodyBytes: request.bodyBytes,
      truncated: request.truncated,
      raw: request.raw === null ? null : latin1(request.raw),
      error: request.error,
    });
    const exploits = reportInspection(events, ctx.inspector, request, ctx.deviceClass);
    for (const match of exploits) ctx.onExploit?.(match, request);
    return exploits;
  };

  const answer = async (parsed: ParsedRequest): Promise<void> => {
    const { request, limit } = parsed;
    if (request.seq > limits.maxRequests) return limitHit('requests', limits.maxRequests, `more than ${limits.maxRequests} requests on one connection`);
    const exploits = record(request);
    if (limit) {
      events.emit('session.limit', { limit: limit.limit, max: limit.max, detail: limit.detail });
      // A body past the read limit is not answered: the device stops reading and hangs up.
      if (limit.limit === 'body-bytes') return finish('limit');
    }
    const response = await ctx.responder.respond(request, exchange, exploits);
    if (stopped) return;
    const bytes = writeResponse(response, { requestVersion: request.version, omitBody: !responseHasBody(request.method, response.status) });
    bytesOut += bytes.length;
    if (!stream.write(bytes)) await new Promise<void>((resolve) => onceEither(stream, ['drain', 'close'], resolve));
    if (limit || parsed.final || !keepsAlive(request, response)) finish(limit ? 'limit' : 'exit');
  };

  // Requests are answered one at a time, in order; input is not read while one is being answered.
  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    stream.pause();
    try {
      for (let parsed = parser.next(); parsed !== null && !stopped; parsed = stopped ? null : parser.next()) {
        timers.headerDone();
        await answer(parsed);
      }
      if (stopped) return;
      if (inputEnded) {
        const cut = parser.end('connection closed inside the request');
        if (cut) record(cut.request);
        return finish('client-closed');
      }
      if (parser.state === 'head') timers.headerStarted();
      stream.resume();
    } catch {
      finish('error');
    } finally {
      pumping = false;
    }
  };

  const onData = (chunk: Buffer): void => {
    if (stopped) return;
    bytesIn += chunk.length;
    if (bytesIn > limits.maxInputBytes) return limitHit('input-bytes', limits.maxInputBytes, `client sent more than ${limits.maxInputBytes} bytes`);
    timers.activity();
    parser.push(chunk);
    void pump();
  };

  stream.on('data', onData);
  stream.on('end', () => {
    inputEnded = true;
    void pump();
  });
  stream.on('error', () => finish('error'));
  stream.on('close', () => finish('client-closed'));
  events.emit('session.connect', {});
  if (ctx.shutdown?.stopping) finish('shutdown');
  else forgetShutdown = ctx.shutdown?.onStop(() => finish('shutdown')) ?? null;
  return done;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}

function onceEither(stream: Duplex, names: readonly string[], callback: () => void): void {
  const fire = (): void => {
    for (const name of names) stream.off(name, fire);
    callback();
  };
  for (const name of names) stream.once(name, fire);
}
