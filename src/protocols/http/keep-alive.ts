// Whether a connection stays open after a response: as the request's version and Connection header,
// and the response the device sent (its version, Connection header, framing), together say.
import type { HeaderList } from '../../core/events.ts';
import type { HttpRequest, HttpResponse } from '../../core/http.ts';
import { hasHeader } from './head.ts';
import { responseHasBody, responseVersion } from './response-writer.ts';

function tokens(headers: HeaderList, name: string): string[] {
  return headers.filter(([n]) => n.toLowerCase() === name).flatMap(([, v]) => v.split(',').map((t) => t.trim().toLowerCase()));
}

export function keepsAlive(request: HttpRequest, response: HttpResponse): boolean {
  // After a malformed request the framing of what follows is unknown.
  if (response.close === true || request.error !== null) return false;
  const asked = tokens(request.headers, 'connection');
  const answered = tokens(response.headers, 'connection');
  if (asked.includes('close') || answered.includes('close')) return false;
  // A body with neither a length nor chunked framing ends when the connection closes.
  const chunked = tokens(response.headers, 'transfer-encoding').at(-1) === 'chunked';
  if (responseHasBody(request.method, response.status) && !chunked && !hasHeader(response.headers, 'content-length')) return false;
  if (request.version === 'HTTP/1.1' && responseVersion(response, request.version) === 'HTTP/1.1') return true;
  // HTTP/1.0 on either side: persistent only when both ask for keep-alive.
  return asked.includes('keep-alive') && answered.includes('keep-alive');
}
