// Serves the query API over a store on a free loopback port for a test, and GETs from it as JSON.
import type { TestContext } from 'node:test';
import type { Store } from '../storage/store.ts';
import { apiRoutes } from '../api/api-routes.ts';
import { startApiServer } from '../api/server.ts';

export type ApiGet = (path: string, headers?: Record<string, string>) => Promise<Response>;

export async function serveApi(t: TestContext, store: Store, token?: string): Promise<ApiGet> {
  const server = await startApiServer({ host: '127.0.0.1', port: 0, token, store, routes: apiRoutes, logger: { info: () => undefined, warn: () => undefined } });
  t.after(() => server.close());
  return (path, headers = {}) => fetch(`http://127.0.0.1:${server.port}${path}`, { headers });
}
