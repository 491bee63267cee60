// Finds the route a request goes to: exact paths before prefixes in file order, then the method.
import type { WebRoute, WebSite } from '../core/web-persona.ts';
import { routePath } from './request-fields.ts';

export type RouteResult =
  | { readonly kind: 'route'; readonly route: WebRoute }
  /** The path exists but not for this method. */
  | { readonly kind: 'wrong-method' }
  | { readonly kind: 'none' };

function pathMatches(route: WebRoute, path: string): boolean {
  return route.match === 'exact' ? route.path === path : path.startsWith(route.path);
}

function methodMatches(site: WebSite, route: WebRoute, method: string): boolean {
  const allowed = route.methods.length > 0 ? route.methods : site.methods;
  return allowed.includes(method) || (method === 'HEAD' && allowed.includes('GET'));
}

export function matchRoute(site: WebSite, method: string, rawPath: string): RouteResult {
  const decoded = routePath(rawPath);
  const candidates = decoded === rawPath ? [rawPath] : [rawPath, decoded];
  let pathSeen = false;
  for (const kind of ['exact', 'prefix'] as const) {
    for (const route of site.routes) {
      if (route.match !== kind || !candidates.some((p) => pathMatches(route, p))) continue;
      if (methodMatches(site, route, method)) return { kind: 'route', route };
      pathSeen = true;
    }
  }
  return pathSeen ? { kind: 'wrong-method' } : { kind: 'none' };
}
