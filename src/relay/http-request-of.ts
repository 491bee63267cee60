// A relayed request as the HTTP contract's HttpRequest, so exploit detection sees a real device's
// traffic exactly as it sees an emulated one's.
import type { HttpRequest } from '../core/http.ts';
import type { HttpRequestObservation } from './http-observer.ts';

const bytes = (latin1: string): Uint8Array => new Uint8Array(Buffer.from(latin1, 'latin1'));

export function httpRequestOf(o: HttpRequestObservation, tls = false): HttpRequest {
  return {
    seq: o.seq,
    method: o.method,
    target: o.query === '' ? o.path : `${o.path}?${o.query}`,
    path: o.path,
    query: o.query,
    version: o.version,
    headers: o.headers,
    body: bytes(o.body),
    bodyBytes: o.bodyBytes,
    truncated: o.truncated,
    raw: o.raw === null ? null : bytes(o.raw),
    error: o.error,
    tls,
  };
}
