// GET /api/v1/samples/:sha256: one sample, where it was seen, its links, fetches and analysis.
import type { ApiRoute } from '../route.ts';
import { notFound } from '../route.ts';
import { ParameterError, onlyParams } from '../params.ts';

export const sampleDetailRoute: ApiRoute = {
  method: 'GET',
  path: '/api/v1/samples/:sha256',
  handle({ params, query }, store) {
    const sha256 = params.sha256 ?? '';
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new ParameterError('sha256', 'must be 64 lowercase hex digits');
    onlyParams(query, []);
    const sample = store.getSample(sha256);
    if (!sample) return notFound(`no sample ${sha256}`);
    return { status: 200, body: { sample, detail: store.getSampleDetail(sha256) } };
  },
};
