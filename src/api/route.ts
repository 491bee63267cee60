// The contract every query API route implements: a fixed method and path pattern, and a handler that
// reads the store and returns a status plus a JSON-serialisable body (the server does the rest).
import type { Store } from '../storage/store.ts';

export interface ApiRequest {
  /** Values of the `:name` segments of the path pattern, already percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
}

export interface ApiResponse {
  readonly status: number;
  /** Serialised with JSON.stringify; never HTML. */
  readonly body: unknown;
}

export interface ApiRoute {
  readonly method: 'GET';
  /** e.g. '/api/v1/sessions/:id'; `:name` matches one non-empty path segment. */
  readonly path: string;
  /** May be async (file reads); SQL reads are synchronous and bounded by the route's limits. */
  handle(req: ApiRequest, store: Store): ApiResponse | Promise<ApiResponse>;
}

/** A 400 response naming the parameter that was rejected. */
export function badRequest(parameter: string, message: string): ApiResponse {
  return { status: 400, body: { error: 'bad_request', parameter, message } };
}

/** A 404 response for a well-formed request whose resource does not exist. */
export function notFound(message = 'not found'): ApiResponse {
  return { status: 404, body: { error: 'not_found', message } };
}
