// Loads a pack's web.yaml and the web/ files it names into the read-only WebPersona view, once at
// start. Checks what the schema cannot: files exist, placeholders are known, ports are listening.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HeaderList } from '../core/events.ts';
import type { WebErrorStatus, WebPersona, WebResponseSpec, WebSite } from '../core/web-persona.ts';
import { parseYamlWith } from './parse-pack-yaml.ts';
import type { PackYaml } from './schema.ts';
import { webSchema, type WebResponseYaml, type WebSiteYaml } from './web-schema.ts';

const MAX_FILE_BYTES = 2 * 1024 * 1024;
const MAX_TOTAL_BYTES = 16 * 1024 * 1024;

/** Placeholders the responder fills; header values may use no others. */
export const webPlaceholders = [
  'hostname', 'model', 'firmware', 'mac', 'vendor', 'name', 'date-http', 'realm', 'nonce', 'opaque', 'stale', 'session', 'content-length',
] as const;

const REASONS: Readonly<Record<number, string>> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
  307: 'Temporary Redirect', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  408: 'Request Timeout', 413: 'Request Entity Too Large', 500: 'Internal Server Error', 501: 'Not Implemented', 503: 'Service Unavailable',
};

const errorStatuses: readonly WebErrorStatus[] = [400, 401, 403, 404, 405, 501];

/** Returns null (no problem) when the pack has no web.yaml. Problems are appended to `problems`. */
export async function loadWebPersona(dir: string, pack: PackYaml, problems: string[]): Promise<WebPersona | null> {
  const file = join(dir, 'web.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  const parsed = parseYamlWith(webSchema, text, file);
  if (!parsed.ok) {
    problems.push(...parsed.problems);
    return null;
  }
  const files = new Map<string, Uint8Array>();
  const budget = { total: 0 };
  const readWebFile = async (name: string, where: string): Promise<Uint8Array> => {
    const cached = files.get(name);
    if (cached) return cached;
    try {
      const data = new Uint8Array(await readFile(join(dir, 'web', name)));
      budget.total += data.length;
      if (data.length > MAX_FILE_BYTES) problems.push(`${file}: ${where}: web/${name} is larger than ${MAX_FILE_BYTES} bytes`);
      if (budget.total > MAX_TOTAL_BYTES) problems.push(`${file}: web/ files add up to more than ${MAX_TOTAL_BYTES} bytes`);
      files.set(name, data);
      return data;
    } catch (error) {
      problems.push(`${file}: ${where}: cannot read web/${name}: ${(error as Error).message}`);
      return new Uint8Array(0);
    }
  };
  const listening = new Set(pack.network.listening.filter((s) => s.proto === 'tcp').map((s) => Number(s.local.slice(s.local.lastIndexOf(':') + 1))));
  const sites: WebSite[] = [];
  for (const [index, site] of parsed.value.sites.entries()) {
    const where = `sites[${index}]`;
    for (const { port } of site.ports) {
      if (!listening.has(port)) problems.push(`${file}: ${where}.ports: port ${port} is not a tcp socket in persona.yaml network.listening`);
    }
    const spec = (r: WebResponseYaml, at: string): Promise<WebResponseSpec> => buildResponse(r, site, `${where}.${at}`, { file, problems, readWebFile });
    const routes = [];
    for (const [i, route] of site.routes.entries()) {
      const at = `routes[${i}]`;
      const login = route.login
        ? { usernameField: route.login.usernameField, passwordField: route.login.passwordField, success: await spec(route.login.success, `${at}.login.success`), failure: await spec(route.login.failure, `${at}.login.failure`) }
        : null;
      if (route.auth === 'session' && site.sessionCookie === null) problems.push(`${file}: ${where}.${at}: auth "session" needs the site's sessionCookie`);
      routes.push({ path: route.path, match: route.match, methods: route.methods, auth: route.auth, response: await spec(route.response, `${at}.response`), login });
    }
    const errors = {} as Record<WebErrorStatus, WebResponseSpec>;
    for (const status of errorStatuses) errors[status] = await spec(site.errors[`${status}`], `errors.${status}`);
    sites.push({
      ports: site.ports,
      server: site.server,
      version: site.version,
      methods: site.methods,
      wrongMethodStatus: site.wrongMethodStatus,
      realm: site.realm ?? pack.model,
      digest: site.digest,
      credentials: site.credentials ?? pack.credentials.accepted,
      sessionCookie: site.sessionCookie,
      routes,
      errors,
      loginRequired: site.loginRequired ? await spec(site.loginRequired, 'loginRequired') : null,
      exploitFallback: site.exploitFallback ? await spec(site.exploitFallback, 'exploitFallback') : null,
    });
  }
  const ports = sites.flatMap((s) => s.ports.map((p) => p.port));
  const dupes = ports.filter((p, i) => ports.indexOf(p) !== i);
  if (dupes.length > 0) problems.push(`${file}: port ${dupes.join(', ')} is served by more than one site`);
  return { sites };
}

interface BuildContext {
  readonly file: string;
  readonly problems: string[];
  readonly readWebFile: (name: string, where: string) => Promise<Uint8Array>;
}

async function buildResponse(r: WebResponseYaml, site: WebSiteYaml, where: string, ctx: BuildContext): Promise<WebResponseSpec> {
  const headers = expandHeaders(r.headers, site.headerSets, where, ctx);
  const unknown = headers.flatMap(([, value]) => [...value.matchAll(/\{([a-z-]+)\}/g)].map((m) => m[1] ?? '')).filter((n) => !(webPlaceholders as readonly string[]).includes(n));
  if (unknown.length > 0) ctx.problems.push(`${ctx.file}: ${where}.headers: unknown placeholder {${unknown.join('}, {')}}`);
  const hasLength = headers.some(([name]) => name.toLowerCase() === 'content-length');
  if (!hasLength && !r.close) ctx.problems.push(`${ctx.file}: ${where}: a response without Content-Length must close the connection (close: true)`);
  const body = r.file !== undefined ? await ctx.readWebFile(r.file, where) : new TextEncoder().encode(r.body ?? '');
  return {
    version: r.version ?? null,
    status: r.status,
    reason: r.reason ?? REASONS[r.status] ?? 'Unknown',
    headers,
    body,
    template: r.template ?? r.file === undefined,
    close: r.close,
  };
}

function expandHeaders(lines: readonly string[], sets: Readonly<Record<string, readonly string[]>>, where: string, ctx: BuildContext, depth = 0): HeaderList {
  const out: (readonly [string, string])[] = [];
  for (const line of lines) {
    if (line.startsWith('@')) {
      const set = sets[line.slice(1)];
      if (!set || depth > 4) ctx.problems.push(`${ctx.file}: ${where}.headers: no header set "${line.slice(1)}"${depth > 4 ? ' (nested too deep)' : ''}`);
      else out.push(...expandHeaders(set, sets, where, ctx, depth + 1));
      continue;
    }
    const colon = line.indexOf(': ');
    out.push([line.slice(0, colon), line.slice(colon + 2)] as const);
  }
  return out;
}
