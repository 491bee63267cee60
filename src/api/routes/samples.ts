// GET /api/v1/samples: stored samples, most recently seen first, by family and architecture.
// `truncated` says more matched than `limit` (the store's sample list has no cursor yet).
import type { ApiRoute } from '../route.ts';
import { limitParam, onlyParams, textParam } from '../params.ts';

export const samplesRoute: ApiRoute = {
  method: 'GET',
  path: '/api/v1/samples',
  handle({ query }, store) {
    onlyParams(query, ['family', 'arch', 'limit']);
    const limit = limitParam(query, 50);
    const samples = store.listSamples({ family: textParam(query, 'family', 64), arch: textParam(query, 'arch', 64), limit: limit + 1 });
    return { status: 200, body: { samples: samples.slice(0, limit), truncated: samples.length > limit } };
  },
};
