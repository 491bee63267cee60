// docs/openapi.yaml and the registered routes agree: every route is described, nothing else is, and
// each route's path parameters are declared. It must also parse as an OpenAPI 3.1 document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { apiRoutes } from './api-routes.ts';

const openapiPath = new URL('../../docs/openapi.yaml', import.meta.url);

interface Operation { readonly parameters?: readonly { readonly name?: string; readonly in?: string; readonly $ref?: string }[] }
interface Document { readonly openapi: string; readonly paths: Record<string, Record<string, Operation>>; readonly components: { readonly parameters: Record<string, { readonly name: string; readonly in: string }> } }

test('every registered route is in docs/openapi.yaml and vice versa', async () => {
  const doc = parse(await readFile(openapiPath, 'utf8')) as Document;
  assert.equal(doc.openapi, '3.1.0');
  const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`)).sort();
  // '/api/v1/sessions/:id' is '/api/v1/sessions/{id}' in OpenAPI.
  const registered = apiRoutes.map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`).sort();
  assert.deepEqual(documented, registered);
  for (const route of apiRoutes) {
    const op = doc.paths[route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.get;
    const declared = (op?.parameters ?? []).map((p) => (p.$ref ? doc.components.parameters[p.$ref.split('/').at(-1) ?? ''] : p)).filter((p) => p?.in === 'path').map((p) => p?.name);
    const wanted = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]);
    assert.deepEqual(declared.sort(), wanted.sort(), route.path);
  }
});
