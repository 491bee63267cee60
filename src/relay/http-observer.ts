// Reads a relayed HTTP conversation with a real device and reports each request and the response
// that answers it (keep-alive and pipelining pair in order). Pure: bytes in, observations out; the
// caller passes the time. What TCP does to the chunking never changes the result, and every buffer
// has a cap whatever the input. After a malformed request, an upgrade or CONNECT, the bytes are opaque.
import type { EventPayloads, HeaderList } from '../core/events.ts';
import { createBodyReader, type BodyReader, type BodyResult } from '../protocols/http/body-reader.ts';
import { createCappedBytes } from '../protocols/http/capped-bytes.ts';
import { createHeadReader, hasHeader, headLines, parseHeaderLines, parseRequestLine, parseStatusLine, requestFraming, responseFraming } from '../protocols/http/head.ts';

/** A request, with exactly the fields of its http.request event (seq 1-based; raw and error set when a strict parser rejects it). */
export type HttpRequestObservation = { readonly kind: 'request' } & EventPayloads['http.request'];

/**
 * A response, with exactly the fields of its http.response event: `seq` 0 when the device sent it
 * unasked; `status` 0 when the device's bytes were not an HTTP response (then all of them are body,
 * read until close); `durationMs` from the end of the request to the end of the response.
 */
export type HttpResponseObservation = { readonly kind: 'response' } & EventPayloads['http.response'];

export type HttpObservation = HttpRequestObservation | HttpResponseObservation;

export interface HttpObserverOptions {
  /** Cap of a request or response head (request line and headers), and of chunked trailers. */
  readonly maxHeaderBytes: number;
  /** Body bytes kept in each observation; the rest are counted. */
  readonly maxBodyBytes: number;
  /** Bytes of a malformed request kept in `raw` (default 4096). */
  readonly maxRawBytes?: number;
  /** Unanswered requests remembered for pairing (default 32); past it responses pair by count only. */
  readonly maxPending?: number;
}

export interface HttpObserver {
  fromClient(bytes: Uint8Array, nowMs: number): HttpObservation[];
  fromDevice(bytes: Uint8Array, nowMs: number): HttpObservation[];
  /** The session ended: report requests and responses cut by it. */
  end(nowMs: number): HttpObservation[];
  /** Bytes the observer holds now (for tests of its bounds). */
  heldBytes(): number;
}

interface Pending {
  readonly seq: number;
  readonly method: string;
  endedAt: number | null;
}

interface RequestFields {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly version: string;
  readonly headers: HeaderList;
}

interface ResponseFields {
  readonly status: number;
  readonly reason: string;
  readonly version: string;
  readonly headers: HeaderList;
}

type ClientState =
  | { readonly at: 'head' }
  | { readonly at: 'body'; readonly fields: RequestFields; readonly seq: number; readonly entry: Pending | null; readonly body: BodyReader; readonly tunnel: boolean }
  | { readonly at: 'malformed'; readonly fields: RequestFields; readonly seq: number; readonly error: string; readonly body: BodyResult | null }
  | { readonly at: 'opaque' };

type DeviceState =
  | { readonly at: 'head' }
  | { readonly at: 'body'; readonly fields: ResponseFields; readonly entry: Pending | null; readonly body: BodyReader; readonly then: 'head' | 'opaque' }
  | { readonly at: 'opaque' };

const NO_FIELDS: RequestFields = { method: '', path: '', query: '', version: '', headers: [] };
const NOT_HTTP: ResponseFields = { status: 0, reason: '', version: '', headers: [] };
const isLineEnd = (byte: number | undefined): boolean => byte === 0x0a || byte === 0x0d;

export function createHttpObserver(options: HttpObserverOptions): HttpObserver {
  const maxRaw = options.maxRawBytes ?? 4096;
  const maxPending = options.maxPending ?? 32;
  const limits = { maxBodyBytes: options.maxBodyBytes, maxHeaderBytes: options.maxHeaderBytes };
  const clientHead = createHeadReader(options.maxHeaderBytes);
  const deviceHead = createHeadReader(options.maxHeaderBytes);
  /** The first bytes of the current request, for `raw` if it turns out malformed. */
  const raw = createCappedBytes(maxRaw);
  let client: ClientState = { at: 'head' };
  let device: DeviceState = { at: 'head' };
  let ended = false;
  let seq = 0;
  /** The current request's line, once its first line arrived: null before, an error string when bad. */
  let line: RequestFields | string | null = null;

  // Requests waiting for their response, in order. Past maxPending they are only counted: they
  // follow the tracked ones, so the device's answers still pair by position.
  const pending: Pending[] = [];
  let untracked = 0;
  let answered = 0;
  const track = (n: number, method: string, now: number): Pending | null => {
    if (untracked === 0 && pending.length < maxPending) {
      const entry: Pending = { seq: n, method, endedAt: now };
      pending.push(entry);
      return entry;
    }
    untracked++;
    return null;
  };
  const peek = (): Pending | null => pending[0] ?? (untracked > 0 ? { seq: answered + 1, method: '', endedAt: null } : null);
  const answer = (): Pending | null => {
    const next = pending.shift();
    if (next) {
      answered = next.seq;
      return next;
    }
    if (untracked === 0) return null;
    untracked--;
    answered++;
    return { seq: answered, method: '', endedAt: null };
  };

  const nextRequest = (): void => {
    clientHead.bytes.clear();
    raw.clear();
    line = null;
  };
  const requestObservation = (n: number, fields: RequestFields, body: BodyResult | null, extra: { raw: string | null; error: string | null }): HttpRequestObservation => ({
    kind: 'request',
    seq: n,
    ...fields,
    headers: [...fields.headers, ...(body?.trailers ?? [])],
    body: body?.body ?? '',
    bodyBytes: body?.bodyBytes ?? 0,
    truncated: body !== null && (body.capped || !body.complete),
    ...extra,
  });
  const malformed = (out: HttpObservation[], fields: RequestFields, error: string, now: number, known?: { seq: number; body: BodyResult }): void => {
    let n = known?.seq ?? 0;
    if (!known) {
      n = ++seq;
      track(n, fields.method, now);
    }
    client = { at: 'malformed', fields, seq: n, error, body: known?.body ?? null };
    if (raw.length >= maxRaw) flushMalformed(out);
  };
  /** Reports a malformed request with its raw bytes: once `raw` is full, the device answers, or the session ends. */
  const flushMalformed = (out: HttpObservation[]): void => {
    if (client.at !== 'malformed') return;
    out.push(requestObservation(client.seq, client.fields, client.body, { raw: raw.latin1(), error: client.error }));
    client = { at: 'opaque' };
    nextRequest();
  };
  const fieldsOf = (current: RequestFields | string | null): RequestFields => (current !== null && typeof current !== 'string' ? current : NO_FIELDS);

  const requestHead = (out: HttpObservation[], now: number): void => {
    const text = clientHead.bytes.latin1();
    const lines = headLines(text);
    const fields = fieldsOf(line);
    if (text.includes('\0')) return malformed(out, fields, 'NUL byte in the request head', now);
    const parsed = parseHeaderLines(lines.slice(1), true);
    if (!parsed.ok) return malformed(out, fields, parsed.error, now);
    const full: RequestFields = { ...fields, headers: parsed.headers };
    const framing = requestFraming(parsed.headers);
    if (framing.kind === 'error') return malformed(out, full, framing.error, now);
    const n = ++seq;
    const entry = track(n, full.method, now);
    // After these the bytes are another protocol (a tunnel, WebSocket, HTTP/2): not followed.
    const tunnel = full.method === 'CONNECT' || full.method === 'PRI' || hasHeader(parsed.headers, 'upgrade');
    client = { at: 'body', fields: full, seq: n, entry, body: createBodyReader(framing, limits, true), tunnel };
    if (framing.kind === 'none') requestDone(out, now);
  };
  const requestDone = (out: HttpObservation[], now: number): void => {
    if (client.at !== 'body') return;
    out.push(requestObservation(client.seq, client.fields, client.body.result(), { raw: null, error: null }));
    if (client.entry) client.entry.endedAt = now;
    client = client.tunnel ? { at: 'opaque' } : { at: 'head' };
    nextRequest();
  };

  const fromClient = (bytes: Uint8Array, now: number): HttpObservation[] => {
    const out: HttpObservation[] = [];
    let i = 0;
    while (i < bytes.length && !ended) {
      const state: ClientState = client;
      if (state.at === 'opaque') break;
      if (state.at === 'malformed') {
        raw.append(bytes, i);
        if (raw.length >= maxRaw) flushMalformed(out);
        break;
      }
      if (state.at === 'body') {
        const step = state.body.feed(bytes, i);
        raw.append(bytes, i, i + step.taken);
        i += step.taken;
        if (step.error !== null) malformed(out, state.fields, step.error, now, { seq: state.seq, body: state.body.result() });
        else if (step.done) requestDone(out, now);
        continue;
      }
      // Empty lines before a request line are ignored (RFC 9112 §2.2).
      if (clientHead.bytes.length === 0) {
        while (i < bytes.length && isLineEnd(bytes[i])) i++;
        if (i === bytes.length) break;
      }
      const step = clientHead.feed(bytes, i);
      raw.append(bytes, i, i + step.taken);
      i += step.taken;
      if (line === null) {
        const first = clientHead.firstLine();
        if (first !== null) {
          const parsed = parseRequestLine(first);
          line = first.includes('\0') ? 'NUL byte in the request line' : parsed.ok ? { method: parsed.method, path: parsed.path, query: parsed.query, version: parsed.version, headers: [] } : parsed.error;
          if (typeof line === 'string') {
            malformed(out, NO_FIELDS, line, now);
            continue;
          }
          if (line.version === 'HTTP/0.9') {
            // A simple request: no headers, no keep-alive; the answer is a bare body until close.
            const n = ++seq;
            track(n, line.method, now);
            out.push(requestObservation(n, line, null, { raw: null, error: null }));
            client = { at: 'opaque' };
            nextRequest();
            break;
          }
        }
      }
      if (step.state === 'overflow') malformed(out, fieldsOf(line), `request head over ${options.maxHeaderBytes} bytes`, now);
      else if (step.state === 'complete') requestHead(out, now);
    }
    return out;
  };

  const responseObservation = (out: HttpObservation[], now: number, broken: boolean): void => {
    if (device.at !== 'body') return;
    const result = device.body.result();
    const { entry, fields } = device;
    out.push({
      kind: 'response',
      seq: entry?.seq ?? 0,
      ...fields,
      headers: [...fields.headers, ...result.trailers],
      body: result.body,
      bodyBytes: result.bodyBytes,
      truncated: broken || result.capped || !result.complete,
      durationMs: entry?.endedAt === null || entry === null ? 0 : Math.max(0, now - entry.endedAt),
    });
    device = device.then === 'opaque' ? { at: 'opaque' } : { at: 'head' };
  };
  /** The device's bytes are not an HTTP response: all of them (from here to the close) are its body. */
  const notHttp = (): void => {
    const body = createBodyReader({ kind: 'close' }, limits, false);
    body.feed(deviceHead.bytes.view(), 0);
    deviceHead.bytes.clear();
    device = { at: 'body', fields: NOT_HTTP, entry: answer(), body, then: 'opaque' };
  };
  const responseHead = (out: HttpObservation[], now: number): void => {
    const lines = headLines(deviceHead.bytes.latin1());
    const status = parseStatusLine(lines[0] ?? '');
    if (!status.ok) return notHttp();
    deviceHead.bytes.clear();
    const headers = parseHeaderLines(lines.slice(1), false);
    const fields: ResponseFields = { status: status.status, reason: status.reason, version: status.version, headers: headers.ok ? headers.headers : [] };
    const interim = status.status >= 100 && status.status < 200 && status.status !== 101;
    const entry = interim ? peek() : answer();
    const method = entry?.method ?? '';
    const switching = status.status === 101 || (method === 'CONNECT' && status.status >= 200 && status.status < 300);
    if (switching && client.at === 'head') client = { at: 'opaque' };
    const closes = fields.headers.some(([n, v]) => n.toLowerCase() === 'connection' && /(^|,)\s*close\s*(,|$)/i.test(v));
    const framing = switching ? { kind: 'none' as const } : responseFraming(fields.headers, status.status, method);
    device = { at: 'body', fields, entry, body: createBodyReader(framing, limits, false), then: switching || closes ? 'opaque' : 'head' };
    if (framing.kind === 'none') responseObservation(out, now, false);
  };

  const fromDevice = (bytes: Uint8Array, now: number): HttpObservation[] => {
    const out: HttpObservation[] = [];
    if (ended || bytes.length === 0) return out;
    // The device is answering: a malformed request has all the bytes it will be judged on.
    flushMalformed(out);
    let i = 0;
    while (i < bytes.length) {
      const state: DeviceState = device;
      if (state.at === 'opaque') break;
      if (state.at === 'body') {
        const step = state.body.feed(bytes, i);
        i += step.taken;
        if (step.error !== null) {
          device = { ...state, then: 'opaque' };
          responseObservation(out, now, true);
        } else if (step.done) responseObservation(out, now, false);
        continue;
      }
      if (deviceHead.bytes.length === 0) {
        while (i < bytes.length && isLineEnd(bytes[i])) i++;
        if (i === bytes.length) break;
      }
      const step = deviceHead.feed(bytes, i);
      i += step.taken;
      const start = deviceHead.bytes.latin1(0, 5);
      if (!'HTTP/'.startsWith(start) || step.state === 'overflow') notHttp();
      else if (step.state === 'complete') responseHead(out, now);
    }
    return out;
  };

  return {
    fromClient: (bytes, now) => (ended ? [] : fromClient(bytes, now)),
    fromDevice,
    end(now) {
      if (ended) return [];
      const out: HttpObservation[] = [];
      if (client.at === 'head' && clientHead.bytes.length > 0) malformed(out, fieldsOf(line), 'the session ended inside the request head', now);
      if (client.at === 'body') out.push(requestObservation(client.seq, client.fields, client.body.result(), { raw: null, error: null }));
      flushMalformed(out);
      if (device.at === 'head' && deviceHead.bytes.length > 0) notHttp();
      responseObservation(out, now, false);
      ended = true;
      client = { at: 'opaque' };
      device = { at: 'opaque' };
      return out;
    },
    heldBytes: () =>
      clientHead.bytes.allocated +
      deviceHead.bytes.allocated +
      raw.allocated +
      (client.at === 'body' ? client.body.allocated : 0) +
      (device.at === 'body' ? device.body.allocated : 0) +
      pending.length * 64,
  };
}
