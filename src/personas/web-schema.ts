// The schema of personas/<id>/web.yaml: the device's web servers (ports, exact headers, routes,
// auth, error pages). Bodies live in personas/<id>/web/ or inline; see docs/personas.md.
import { z } from 'zod';

/** "Name: value" as sent, or "@set" to splice a named header set in at this position. */
const headerLine = z.string().regex(/^(?:@[A-Za-z0-9_-]+|[!#$%&'*+.^_`|~0-9A-Za-z-]+: [^\r\n]*)$/, {
  message: 'expected "Name: value" or "@set-name"',
});

/** A file under web/: relative, no "..", plain names. */
const webFile = z
  .string()
  .regex(/^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/, { message: 'expected a relative path under web/ like "index.htm"' })
  .refine((p) => !p.split('/').includes('..'), { message: 'path must not contain ".."' });

const method = z.string().regex(/^[A-Z][A-Z0-9_-]{0,19}$/, { message: 'expected an upper-case method name like "GET"' });

export const webResponseSchema = z
  .strictObject({
    /** Status line version for this response only ("HTTP/1.0"); default: the site's. */
    version: z.enum(['HTTP/1.0', 'HTTP/1.1']).optional(),
    status: z.int().min(100).max(599),
    /** Reason phrase as the device spells it ("Ok"); default: the standard one. */
    reason: z.string().regex(/^[^\r\n]*$/).optional(),
    headers: z.array(headerLine).default([]),
    file: webFile.optional(),
    body: z.string().optional(),
    /** Replace {placeholders} in the body. Default: true for inline bodies, false for files. */
    template: z.boolean().optional(),
    close: z.boolean().default(false),
  })
  .refine((r) => !(r.file !== undefined && r.body !== undefined), { message: 'give either file or body, not both' });

const credential = z.strictObject({ username: z.string().min(1).max(64), password: z.string().max(128) });

const route = z.strictObject({
  path: z.string().regex(/^\/[^\s?#]*$/, { message: 'expected a path like "/cgi-bin/login.cgi"' }),
  match: z.enum(['exact', 'prefix']).default('exact'),
  methods: z.array(method).default([]),
  auth: z.enum(['none', 'basic', 'digest', 'session']).default('none'),
  response: webResponseSchema,
  login: z
    .strictObject({
      usernameField: z.string().min(1).max(64),
      passwordField: z.string().min(1).max(64),
      success: webResponseSchema,
      failure: webResponseSchema,
    })
    .optional(),
});

const site = z.strictObject({
  ports: z.array(z.strictObject({ port: z.int().min(1).max(65535), tls: z.boolean().default(false) })).min(1),
  server: z.string().regex(/^[^\r\n]+$/).nullable(),
  version: z.enum(['HTTP/1.0', 'HTTP/1.1', 'request']),
  methods: z.array(method).min(1).default(['GET', 'HEAD', 'POST']),
  wrongMethodStatus: z.union([z.literal(405), z.literal(501)]).default(405),
  /** Basic/Digest realm; default: the persona's model. */
  realm: z.string().regex(/^[^"\r\n]*$/).optional(),
  digest: z
    .strictObject({ opaque: z.string().regex(/^[A-Za-z0-9+/=]*$/).default(''), nonceLifetimeSeconds: z.int().min(10).max(86400).default(300) })
    .default({ opaque: '', nonceLifetimeSeconds: 300 }),
  /** Web credential policy; default: the persona's credentials.accepted. */
  credentials: z.array(credential).optional(),
  sessionCookie: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/).nullable().default(null),
  headerSets: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), z.array(headerLine)).default({}),
  routes: z.array(route).default([]),
  errors: z.strictObject({
    '400': webResponseSchema,
    '401': webResponseSchema,
    '403': webResponseSchema,
    '404': webResponseSchema,
    '405': webResponseSchema,
    '501': webResponseSchema,
  }),
  loginRequired: webResponseSchema.nullable().default(null),
  exploitFallback: webResponseSchema.nullable().default(null),
});

export const webSchema = z.strictObject({ sites: z.array(site).min(1) });

export type WebYaml = z.infer<typeof webSchema>;
export type WebSiteYaml = WebYaml['sites'][number];
export type WebResponseYaml = z.infer<typeof webResponseSchema>;
