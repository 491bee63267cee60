// The read-only view of a persona's device web servers (personas/<id>/web.yaml + web/): which ports
// answer HTTP, and exactly what the embedded server sends for each route, auth challenge and error.
import type { HeaderList } from './events.ts';

/** One response as stored: header values and (when `template`) the body may hold {placeholders}. */
export interface WebResponseSpec {
  /** Status line version; null: the site's version. */
  readonly version: string | null;
  readonly status: number;
  readonly reason: string;
  /** In wire order. "{content-length}" is filled with the final body length. */
  readonly headers: HeaderList;
  readonly body: Uint8Array;
  /** Body is UTF-8 text with placeholders; false for binary assets sent as they are. */
  readonly template: boolean;
  readonly close: boolean;
}

export type WebAuthKind = 'none' | 'basic' | 'digest' | 'session';

/** A login form: POST fields checked against the site's credentials. */
export interface WebLoginForm {
  readonly usernameField: string;
  readonly passwordField: string;
  /** Headers may use {session}: the new session token (set as the site's session cookie). */
  readonly success: WebResponseSpec;
  readonly failure: WebResponseSpec;
}

export interface WebRoute {
  /** Path as sent, before the query; compared after percent-decoding unreserved characters. */
  readonly path: string;
  readonly match: 'exact' | 'prefix';
  /** Methods the route answers; empty: every method the site knows. HEAD follows GET. */
  readonly methods: readonly string[];
  readonly auth: WebAuthKind;
  readonly response: WebResponseSpec;
  /** When set, a POST to this route is a login attempt. */
  readonly login: WebLoginForm | null;
}

export type WebErrorStatus = 400 | 401 | 403 | 404 | 405 | 501;

export interface WebSite {
  /** TCP ports this server listens on, with TLS or not. */
  readonly ports: readonly { readonly port: number; readonly tls: boolean }[];
  /** The Server header value (for people and nmap checks); null when the device sends none. */
  readonly server: string | null;
  /** "HTTP/1.0", "HTTP/1.1", or "request" to answer with the request's version (1.0 or 1.1). */
  readonly version: string;
  /** Methods the server implements; any other gets the 501 page. */
  readonly methods: readonly string[];
  /** What a known method on a route that does not take it gets: 405 or 501 (old servers). */
  readonly wrongMethodStatus: 405 | 501;
  readonly realm: string;
  /** Digest parameters; {opaque} in templates. */
  readonly digest: { readonly opaque: string; readonly nonceLifetimeSeconds: number };
  readonly credentials: readonly { readonly username: string; readonly password: string }[];
  /** Cookie holding a form-login session; null when the site has no form login. */
  readonly sessionCookie: string | null;
  readonly routes: readonly WebRoute[];
  /** The device's own error pages; the 401 page carries the challenge (WWW-Authenticate). */
  readonly errors: Readonly<Record<WebErrorStatus, WebResponseSpec>>;
  /** Answer to a 'session' route without a valid session (usually a redirect to the login page). */
  readonly loginRequired: WebResponseSpec | null;
  /** Answer to an exploit aimed at a path the device has no route for (a vulnerable CGI's 200). */
  readonly exploitFallback: WebResponseSpec | null;
}

export interface WebPersona {
  readonly sites: readonly WebSite[];
}
