// The exact bytes of an HttpResponse: status line, the headers in the order given, the body, and
// nothing added (no Date, no Connection): a device persona's server says exactly what its data says.
import type { HttpResponse } from '../../core/http.ts';

/** CR, LF and NUL would let a reflected value split the response; they never reach the wire. */
const BREAKS = /[\r\n\0]/g;

export interface WriteOptions {
  /** The request's version: the response's when it sets none ("HTTP/1.1" if that is not HTTP/1.x). */
  readonly requestVersion: string;
  /** Leave the body out (a HEAD request; 1xx, 204 and 304 answers carry none either). */
  readonly omitBody: boolean;
}

/** The response version on the wire. */
export function responseVersion(response: HttpResponse, requestVersion: string): string {
  if (response.version !== undefined) return response.version;
  return requestVersion === 'HTTP/1.0' || requestVersion === 'HTTP/1.1' ? requestVersion : 'HTTP/1.1';
}

/** Whether a response to `method` carries a body (RFC 9112 §6.3). */
export function responseHasBody(method: string, status: number): boolean {
  return method !== 'HEAD' && status >= 200 && status !== 204 && status !== 304;
}

export function writeResponse(response: HttpResponse, options: WriteOptions): Uint8Array {
  const clean = (s: string): string => s.replace(BREAKS, '');
  let head = `${clean(responseVersion(response, options.requestVersion))} ${response.status} ${clean(response.reason)}\r\n`;
  for (const [name, value] of response.headers) head += `${clean(name)}: ${clean(value)}\r\n`;
  head += '\r\n';
  // latin1: each char is one byte, as embedded servers write their header strings.
  const headBytes = Buffer.from(head, 'latin1');
  if (options.omitBody || response.body.length === 0) return headBytes;
  const out = Buffer.allocUnsafe(headBytes.length + response.body.length);
  headBytes.copy(out, 0);
  out.set(response.body, headBytes.length);
  return out;
}
