// Turns a stored WebResponseSpec into the exact HttpResponse: fills {placeholders} in header values
// and template bodies, sets {content-length} from the final body, and drops the body for HEAD.
import type { HttpResponse } from '../core/http.ts';
import type { WebResponseSpec } from '../core/web-persona.ts';

/** Values for {placeholders}; a name missing here is left as written. */
export type TemplateVars = Readonly<Record<string, string>>;

const PLACEHOLDER = /\{([a-z][a-z-]*)\}/g;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function fillTemplate(text: string, vars: TemplateVars): string {
  return text.replace(PLACEHOLDER, (whole: string, name: string) => vars[name] ?? whole);
}

export interface RenderOptions {
  /** Status line version when the spec does not set one. */
  readonly version: string;
  readonly vars: TemplateVars;
  /** HEAD: same headers (Content-Length of the full body), no body. */
  readonly head: boolean;
}

export function renderResponse(spec: WebResponseSpec, options: RenderOptions): HttpResponse {
  const body = spec.template ? encoder.encode(fillTemplate(decoder.decode(spec.body), options.vars)) : spec.body;
  const vars: TemplateVars = { ...options.vars, 'content-length': String(body.length) };
  return {
    version: spec.version ?? options.version,
    status: spec.status,
    reason: spec.reason,
    headers: spec.headers.map(([name, value]) => [name, fillTemplate(value, vars)] as const),
    body: options.head ? new Uint8Array(0) : body,
    close: spec.close,
  };
}

/** RFC 9110 IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the form every embedded server uses. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
