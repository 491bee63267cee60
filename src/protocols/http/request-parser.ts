// A pull parser of HTTP/1.x requests from a byte stream, with limits: the session pushes chunks and
// takes one request at a time. Requests a strict server rejects still come out (with `error` and `raw`).
import type { HttpRequest } from '../../core/http.ts';
import { createBodyReader, type BodyReader } from './body-reader.ts';
import { createHeadReader, headLines, parseHeaderLines, parseRequestLine, requestFraming, type HeadReader } from './head.ts';

export interface RequestLimits {
  /** Request line and headers together; a longer head is a malformed request ('header-bytes'). */
  readonly maxHeaderBytes: number;
  /** Header lines; more is a malformed request ('header-count'). */
  readonly maxHeaderCount: number;
  /** Body bytes kept in the request; the rest are counted. */
  readonly maxBodyBytes: number;
  /** Wire bytes of one body read at most; past it the request comes out cut ('body-bytes') and parsing stops. */
  readonly maxBodyReadBytes: number;
  /** Bytes of a malformed request kept in `raw`. */
  readonly maxRawBytes: number;
}

export interface ParsedLimit {
  readonly limit: 'header-bytes' | 'header-count' | 'body-bytes';
  readonly max: number;
  readonly detail: string;
}

export interface ParsedRequest {
  readonly request: HttpRequest;
  readonly limit: ParsedLimit | null;
  /** The parser stopped after this one (malformed or over a limit): framing is lost, the connection should close. */
  readonly final: boolean;
}

export interface RequestParser {
  /**
   * Holds a chunk until next() has parsed it (the caller stops reading while bytes are pending). A
   * request rejected by its first line is given up at once: its `raw` is what had arrived by then.
   */
  push(chunk: Uint8Array): void;
  /** The next complete request, or null when more bytes are needed (or the parser has stopped). */
  next(): ParsedRequest | null;
  /** The input ended (or timed out) inside a request: that request, marked with `why`; null between requests. */
  end(why: string): ParsedRequest | null;
  /** 'head': a request has begun and its head is not complete (the header timeout runs). */
  readonly state: 'idle' | 'head' | 'body' | 'stopped';
  readonly pendingBytes: number;
}

interface Line {
  readonly method: string;
  readonly target: string;
  readonly path: string;
  readonly query: string;
  readonly version: string;
}

const EMPTY = new Uint8Array(0);
const NO_LINE: Line = { method: '', target: '', path: '', query: '', version: '' };
/** A rejected request line made of these is recorded split into method, target and version. */
const PRINTABLE = /^[\x20-\x7e]*$/;
const TARGET = /^[\x21-\x7e]+$/;
/** Bytes that can never start a request line (control bytes: a TLS hello, another protocol). */
const CONTROL_BYTES = /[\x00-\x0c\x0e-\x1f\x7f]|\r(?!$)/;

/** Splits and checks a request line as a strict HTTP/1.1 server does. */
function parseLine(text: string): { ok: true; line: Line } | { ok: false; line: Line; error: string } {
  const parsed = parseRequestLine(text);
  const parts = text.split(' ');
  const target = parts[1] ?? '';
  if (!parsed.ok) {
    const rough = { method: parts[0] ?? '', target, ...splitTarget(target), version: parts[2] ?? '' };
    return { ok: false, line: PRINTABLE.test(text) ? rough : NO_LINE, error: parsed.error };
  }
  const line = { method: parsed.method, target, path: parsed.path, query: parsed.query, version: parsed.version };
  if (!TARGET.test(target)) return { ok: false, line, error: 'invalid characters in the request target' };
  if (parsed.version !== 'HTTP/1.1' && parsed.version !== 'HTTP/1.0') return { ok: false, line, error: `unsupported version ${parsed.version}` };
  return { ok: true, line };
}

function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf('?');
  return q === -1 ? { path: target, query: '' } : { path: target.slice(0, q), query: target.slice(q + 1) };
}

export function createRequestParser(limits: RequestLimits, options: { readonly tls: boolean }): RequestParser {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  let pendingBytes = 0;
  let state: RequestParser['state'] = 'idle';
  let seq = 0;
  let head: HeadReader | null = null;
  let firstLineChecked = false;
  let body: BodyReader | null = null;
  let bodyRead = 0;
  let current: { line: Line; headers: [string, string][]; declared: number | null } | null = null;

  const raw = (): Uint8Array => (head ? new Uint8Array(head.bytes.view().subarray(0, limits.maxRawBytes)) : EMPTY);
  const request = (line: Line, extra: Partial<HttpRequest>): HttpRequest => ({
    seq: ++seq,
    ...line,
    headers: [],
    body: EMPTY,
    bodyBytes: 0,
    truncated: false,
    raw: null,
    error: null,
    tls: options.tls,
    ...extra,
  });
  const stop = (result: ParsedRequest): ParsedRequest => {
    state = 'stopped';
    chunks.length = 0;
    pendingBytes = 0;
    head = null;
    body = null;
    return result;
  };
  const malformed = (line: Line, error: string, limit: ParsedLimit | null = null): ParsedRequest =>
    stop({ request: request(line, { raw: raw(), error }), limit, final: true });
  const reset = (): void => {
    state = 'idle';
    head = null;
    body = null;
    current = null;
    firstLineChecked = false;
  };

  /** The head is complete: parse it; a request without a body is done at once. */
  const headDone = (reader: HeadReader): ParsedRequest | null => {
    const lines = headLines(reader.bytes.latin1());
    const first = parseLine(lines[0] ?? '');
    if (!first.ok) return malformed(first.line, first.error);
    if (lines.length - 1 > limits.maxHeaderCount) {
      return malformed(first.line, `more than ${limits.maxHeaderCount} header lines`, { limit: 'header-count', max: limits.maxHeaderCount, detail: `${lines.length - 1} header lines` });
    }
    const parsed = parseHeaderLines(lines.slice(1), true);
    if (!parsed.ok) return malformed(first.line, parsed.error);
    const framing = requestFraming(parsed.headers);
    if (framing.kind === 'error') return stop({ request: request(first.line, { headers: parsed.headers, raw: raw(), error: framing.error }), limit: null, final: true });
    if (framing.kind === 'none' || framing.kind === 'close') {
      const done = request(first.line, { headers: parsed.headers });
      reset();
      return { request: done, limit: null, final: false };
    }
    state = 'body';
    current = { line: first.line, headers: parsed.headers, declared: framing.kind === 'length' ? framing.length : null };
    body = createBodyReader(framing, { maxBodyBytes: limits.maxBodyBytes, maxHeaderBytes: limits.maxHeaderBytes }, true);
    bodyRead = 0;
    return null;
  };

  /** The request with what its body gave so far; `error` when it is cut or broken. */
  const withBody = (reader: BodyReader, error: string | null): HttpRequest => {
    const { line, headers, declared } = current ?? { line: NO_LINE, headers: [], declared: null };
    const result = reader.result();
    const bodyBytes = Math.max(result.bodyBytes, declared ?? 0);
    return request(line, {
      headers: [...headers, ...result.trailers],
      body: result.data,
      bodyBytes,
      truncated: bodyBytes > result.data.length || error !== null,
      raw: error === null ? null : raw(),
      error,
    });
  };

  /** Parses from one chunk at `at`; returns bytes used and a request when one ended. */
  const step = (chunk: Uint8Array, at: number): { used: number; out: ParsedRequest | null } => {
    if (state === 'idle') {
      let i = at;
      // Empty lines before a request line are ignored (RFC 9112 §2.2), e.g. a CR LF after a body.
      while (i < chunk.length && (chunk[i] === 0x0d || chunk[i] === 0x0a)) i++;
      if (i < chunk.length) {
        state = 'head';
        head = createHeadReader(limits.maxHeaderBytes);
      }
      return { used: i - at, out: null };
    }
    if (state === 'head' && head) {
      const fed = head.feed(chunk, at);
      if (!firstLineChecked) {
        const line = head.firstLine();
        if (line !== null) {
          firstLineChecked = true;
          const first = parseLine(line);
          if (!first.ok) return { used: fed.taken, out: malformed(first.line, first.error) };
        } else if (CONTROL_BYTES.test(head.bytes.latin1())) {
          // Binary bytes (a TLS hello, another protocol): no request line can follow.
          return { used: fed.taken, out: malformed(NO_LINE, 'bad request line') };
        }
      }
      if (fed.state === 'complete') return { used: fed.taken, out: headDone(head) };
      if (fed.state === 'overflow') {
        const line = head.firstLine();
        const first = line === null ? NO_LINE : parseLine(line).line;
        const max = limits.maxHeaderBytes;
        return { used: fed.taken, out: malformed(first, `request head larger than ${max} bytes`, { limit: 'header-bytes', max, detail: `request head larger than ${max} bytes` }) };
      }
      return { used: fed.taken, out: null };
    }
    if (state === 'body' && body) {
      const allowed = Math.min(chunk.length - at, limits.maxBodyReadBytes - bodyRead);
      const fed = body.feed(chunk.subarray(at, at + allowed), 0);
      bodyRead += fed.taken;
      if (fed.error !== null) return { used: fed.taken, out: stop({ request: withBody(body, fed.error), limit: null, final: true }) };
      if (fed.done) {
        const done = withBody(body, null);
        reset();
        return { used: fed.taken, out: { request: done, limit: null, final: false } };
      }
      if (bodyRead >= limits.maxBodyReadBytes) {
        const max = limits.maxBodyReadBytes;
        const cut = withBody(body, null);
        return { used: fed.taken, out: stop({ request: { ...cut, truncated: true }, limit: { limit: 'body-bytes', max, detail: `request body longer than ${max} bytes; connection closed` }, final: true }) };
      }
      return { used: fed.taken, out: null };
    }
    return { used: chunk.length - at, out: null };
  };

  // A function, not an inline test: step() changes `state` behind the type checker's narrowing.
  const stoppedNow = (): boolean => state === 'stopped';
  const malformedNoProgress = (): ParsedRequest => malformed(NO_LINE, 'request could not be parsed');

  return {
    get state() {
      return state;
    },
    get pendingBytes() {
      return pendingBytes;
    },
    push(chunk) {
      if (state === 'stopped' || chunk.length === 0) return;
      chunks.push(chunk);
      pendingBytes += chunk.length;
    },
    next() {
      while (chunks.length > 0 && state !== 'stopped') {
        const chunk = chunks[0]!;
        const before = state;
        const { used, out } = step(chunk, offset);
        if (stoppedNow()) {
          offset = 0;
          return out;
        }
        // Every step uses bytes or changes state; anything else would loop forever on hostile input.
        if (used === 0 && out === null && state === before) return malformedNoProgress();
        offset += used;
        pendingBytes -= used;
        if (offset >= chunk.length) {
          chunks.shift();
          offset = 0;
        }
        if (out) return out;
      }
      return null;
    },
    end(why) {
      if (state === 'head' && head) return malformed(parseLine(head.firstLine() ?? '').line, why);
      if (state === 'body' && body) return stop({ request: withBody(body, why), limit: null, final: true });
      state = 'stopped';
      return null;
    },
  };
}
