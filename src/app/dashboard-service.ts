// Starts the dashboard's query API for `hachi run`: a read-side store connection and its own HTTP
// listener. A port that cannot be bound is reported, not fatal: the honeypot keeps running.
import type { Config } from '../config/schema.ts';
import { HachiError } from '../core/errors.ts';
import type { Logger } from '../core/ports.ts';
import { apiRoutes } from '../api/api-routes.ts';
import { startApiServer } from '../api/server.ts';
import { openStore } from '../storage/store.ts';

export interface DashboardStatus {
  readonly host: string;
  readonly port: number;
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface DashboardService {
  readonly status: DashboardStatus;
  close(): Promise<void>;
}

export async function startDashboard(config: Config['dashboard'], dataDir: string, logger: Logger): Promise<DashboardService | null> {
  if (!config.enabled) return null;
  const store = openStore(dataDir);
  try {
    const server = await startApiServer({ host: config.host, port: config.port, token: config.token, store, routes: apiRoutes, logger });
    return {
      status: { host: server.host, port: server.port, error: null },
      close: async () => {
        await server.close();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    // A bad configuration stops `hachi run`; a busy port does not.
    if (!(error instanceof HachiError) || error.code !== 'HACHI_ERR_BIND') throw error;
    logger.warn('dashboard api not started', { host: config.host, port: config.port, error: error.message });
    return { status: { host: config.host, port: config.port, error: { code: error.code, message: error.message } }, close: () => Promise.resolve() };
  }
}
