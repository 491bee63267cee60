// Decides each login attempt from the persona's credential policy: the device's factory credentials
// are accepted; with `acceptAfterFailures: N`, any pair is accepted once a source has failed N times.
import type { PersonaView } from '../core/persona.ts';
import { LruMap } from './lru-map.ts';

export interface AuthRequest {
  /** Source IP address; failures are counted per address, across sessions. */
  readonly source: string;
  readonly username: string;
  readonly password: string;
}

export type AuthPolicy = (request: AuthRequest) => boolean;

/** Failed attempts per source address; bounded so a scan from many addresses cannot grow it. */
export type FailureCounts = LruMap<string, number>;

export function createFailureCounts(maxSources = 65_536): FailureCounts {
  return new LruMap<string, number>(maxSources);
}

export function createAuthPolicy(credentials: PersonaView['credentials'], failures: FailureCounts): AuthPolicy {
  const factory = new Set(credentials.accepted.map((c) => pairKey(c.username, c.password)));
  const threshold = credentials.acceptAfterFailures;
  return (request) => {
    if (factory.has(pairKey(request.username, request.password))) return true;
    const failed = failures.get(request.source) ?? 0;
    if (threshold !== null && failed >= threshold) return true;
    failures.set(request.source, failed + 1);
    return false;
  };
}

// JSON of the pair cannot collide the way "a:b" + "c" vs "a" + "b:c" would.
function pairKey(username: string, password: string): string {
  return JSON.stringify([username, password]);
}
