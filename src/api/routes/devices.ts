// GET /api/v1/devices: the real devices behind the relay, with sessions, health and last reset.
import type { ApiRoute } from '../route.ts';
import { onlyParams } from '../params.ts';

export const devicesRoute: ApiRoute = {
  method: 'GET',
  path: '/api/v1/devices',
  handle({ query }, store) {
    onlyParams(query, []);
    return { status: 200, body: { devices: store.listDevices() } };
  },
};
