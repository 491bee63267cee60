// Reads and parses the head of an HTTP message (server sessions and the relay observer): finds where
// the header section ends (within a cap), and parses request lines, status lines, header lines and
// framing. Requests are parsed the way a strict server would (anything it would reject is an error);
// device responses leniently (embedded servers are sloppy, and their bytes are only recorded).
import type { HeaderList } from '../../core/events.ts';
import { createCappedBytes, type CappedBytes } from './capped-bytes.ts';

const LF = 0x0a;
const CR = 0x0d;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Control characters other than HTAB; these never belong in a request line or a header value. */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

export interface HeadReader {
  readonly bytes: CappedBytes;
  /** Takes bytes from `offset` up to the end of the head; 'overflow' once the cap is reached without one. */
  feed(chunk: Uint8Array, offset: number): { readonly taken: number; readonly state: 'more' | 'complete' | 'overflow' };
  /** The first line (without its line end) once it has arrived, else null. */
  firstLine(): string | null;
}

export function createHeadReader(maxBytes: number): HeadReader {
  const bytes = createCappedBytes(maxBytes);
  return {
    bytes,
    feed(chunk, offset) {
      const before = bytes.length;
      const taken = bytes.append(chunk, offset);
      const all = bytes.view();
      // The head ends at an empty line: LF LF or LF CR LF (bare LF line ends are accepted).
      for (let i = Math.max(0, before - 2); i < all.length; i++) {
        if (all[i] !== LF) continue;
        const end = all[i + 1] === LF ? i + 2 : all[i + 1] === CR && all[i + 2] === LF ? i + 3 : -1;
        if (end === -1) continue;
        bytes.truncate(end);
        return { taken: end - before, state: 'complete' };
      }
      return { taken, state: bytes.length >= maxBytes ? 'overflow' : 'more' };
    },
    firstLine() {
      const at = bytes.view().indexOf(LF);
      if (at === -1) return null;
      return bytes.latin1(0, at).replace(/\r$/, '');
    },
  };
}

/** The lines of a complete head, without line ends and the closing empty line. */
export function headLines(head: string): string[] {
  const lines = head.split('\n').map((l) => l.replace(/\r$/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export type RequestLine =
  | { readonly ok: true; readonly method: string; readonly path: string; readonly query: string; readonly version: string }
  | { readonly ok: false; readonly error: string };

/** `METHOD target HTTP/x.y`, or `GET /path` (HTTP/0.9, version 'HTTP/0.9'). */
export function parseRequestLine(line: string): RequestLine {
  if (CONTROL.test(line) || line.includes('\t')) return { ok: false, error: 'bad request line' };
  const parts = line.split(' ');
  const [method = '', target = '', version = ''] = parts;
  const split = (t: string): { path: string; query: string } => {
    const q = t.indexOf('?');
    return q === -1 ? { path: t, query: '' } : { path: t.slice(0, q), query: t.slice(q + 1) };
  };
  if (parts.length === 2 && method === 'GET' && target.startsWith('/')) return { ok: true, method, ...split(target), version: 'HTTP/0.9' };
  if (parts.length !== 3 || !TOKEN.test(method) || target === '' || !/^HTTP\/\d\.\d$/.test(version)) return { ok: false, error: 'bad request line' };
  return { ok: true, method, ...split(target), version };
}

export type StatusLine = { readonly ok: true; readonly version: string; readonly status: number; readonly reason: string } | { readonly ok: false };

export function parseStatusLine(line: string): StatusLine {
  const match = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(line);
  if (!match) return { ok: false };
  return { ok: true, version: match[1]!, status: Number(match[2]), reason: match[3] ?? '' };
}

export type Headers = { readonly ok: true; readonly headers: [string, string][] } | { readonly ok: false; readonly error: string };

/**
 * Header (or trailer) lines as [name, value] pairs in order, names as sent. Strict: obs-fold, a
 * line without a token name and colon, or control bytes are errors. Lenient: folds are joined to the
 * previous value and bad lines skipped.
 */
export function parseHeaderLines(lines: readonly string[], strict: boolean): Headers {
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (strict) return { ok: false, error: 'obsolete line folding (obs-fold) in the headers' };
      const last = headers[headers.length - 1];
      if (last) last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (!TOKEN.test(name) || CONTROL.test(value)) {
      if (strict) return { ok: false, error: line.includes('\r') ? 'bare CR in the headers' : `bad header line` };
      continue;
    }
    headers.push([name, value]);
  }
  return { ok: true, headers };
}

export type Framing =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' }
  | { readonly kind: 'close' };

const values = (headers: HeaderList, name: string): string[] =>
  headers.filter(([n]) => n.toLowerCase() === name).flatMap(([, v]) => v.split(',').map((s) => s.trim()));

export const hasHeader = (headers: HeaderList, name: string): boolean => headers.some(([n]) => n.toLowerCase() === name);

/** Content-Length values, or null when one is not a decimal number or they disagree. */
function contentLength(headers: HeaderList): number | null | undefined {
  const lengths = values(headers, 'content-length');
  if (lengths.length === 0) return undefined;
  if (!lengths.every((v) => /^\d{1,15}$/.test(v)) || new Set(lengths.map(Number)).size !== 1) return null;
  return Number(lengths[0]);
}

/** How a request body is framed; an error where a strict server answers 400 (RFC 9112 §6.3). */
export function requestFraming(headers: HeaderList): Framing | { readonly kind: 'error'; readonly error: string } {
  const te = values(headers, 'transfer-encoding').filter((v) => v !== '');
  const cl = contentLength(headers);
  if (hasHeader(headers, 'transfer-encoding') && cl !== undefined) return { kind: 'error', error: 'Content-Length and Transfer-Encoding together (request smuggling)' };
  if (hasHeader(headers, 'transfer-encoding')) {
    const codings = te.map((v) => v.toLowerCase());
    if (codings[codings.length - 1] !== 'chunked' || codings.filter((c) => c === 'chunked').length !== 1) return { kind: 'error', error: 'Transfer-Encoding without chunked as the final coding' };
    return { kind: 'chunked' };
  }
  if (cl === null) return { kind: 'error', error: 'bad or conflicting Content-Length' };
  return cl === undefined || cl === 0 ? { kind: 'none' } : { kind: 'length', length: cl };
}

/** How a response body is framed, given the request it answers (RFC 9112 §6.3). */
export function responseFraming(headers: HeaderList, status: number, requestMethod: string): Framing {
  if (requestMethod === 'HEAD' || status < 200 || status === 204 || status === 304) return { kind: 'none' };
  if (hasHeader(headers, 'transfer-encoding')) {
    const codings = values(headers, 'transfer-encoding').map((v) => v.toLowerCase());
    return codings[codings.length - 1] === 'chunked' ? { kind: 'chunked' } : { kind: 'close' };
  }
  const cl = contentLength(headers);
  if (cl === undefined || cl === null) return { kind: 'close' };
  return cl === 0 ? { kind: 'none' } : { kind: 'length', length: cl };
}
