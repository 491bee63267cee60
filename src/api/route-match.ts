// Matching a request path against the routes' patterns: literal segments compare exactly, `:name`
// takes one percent-decoded segment. No regular expressions built from patterns, no prefix matches.
import type { ApiRoute } from './route.ts';

export interface RouteMatch {
  readonly route: ApiRoute;
  readonly params: Readonly<Record<string, string>>;
}

/** The matching route and its parameters, null when none matches, 'bad-path' for broken escapes. */
export function matchRoute(routes: readonly ApiRoute[], pathname: string): RouteMatch | null | 'bad-path' {
  const segments = pathname.split('/');
  for (const route of routes) {
    const pattern = route.path.split('/');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i += 1) {
      const want = pattern[i] ?? '';
      const got = segments[i] ?? '';
      if (want.startsWith(':')) {
        if (got === '') ok = false;
        else {
          try {
            params[want.slice(1)] = decodeURIComponent(got);
          } catch {
            return 'bad-path';
          }
        }
      } else ok = want === got;
    }
    if (ok) return { route, params };
  }
  return null;
}
