// Who may talk to the dashboard API: loopback binds are open to local users; any other bind needs a
// bearer token, compared in constant time so its bytes cannot be guessed from response timings.
import { BlockList, isIP } from 'node:net';
import { createHash, timingSafeEqual } from 'node:crypto';

/** Loopback is 127.0.0.0/8 and ::1 only; host names (even "localhost") are not trusted to resolve there. */
export function isLoopbackHost(host: string): boolean {
  const family = isIP(host);
  if (family === 0) return false;
  const loopback = new BlockList();
  loopback.addSubnet('127.0.0.0', 8, 'ipv4');
  loopback.addAddress('::1', 'ipv6');
  return loopback.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/** Shortest token accepted: a guessable token on a reachable port is no protection. */
export const MIN_TOKEN_LENGTH = 16;

/** Why this bind is not allowed, or null when it is. */
export function bindProblem(host: string, token: string | undefined): string | null {
  if (isLoopbackHost(host)) return null;
  if (token === undefined || token === '') return `the dashboard is bound to ${host}, which is not a loopback address: set dashboard.token (at least ${MIN_TOKEN_LENGTH} characters) or bind to 127.0.0.1`;
  if (token.length < MIN_TOKEN_LENGTH) return `dashboard.token must be at least ${MIN_TOKEN_LENGTH} characters`;
  return null;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * True when the Authorization header carries `Bearer <token>`. Both sides are hashed first so the
 * comparison takes the same time whatever the length or content of what was sent.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const sent = header !== undefined && header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  const same = timingSafeEqual(digest(sent), digest(token));
  return same && sent !== '';
}
