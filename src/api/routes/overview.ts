// GET /api/v1/overview?since=&until=: the dashboard's aggregates for a time range (default the last
// 24 hours), answered from the store's hourly rollups; the range is widened to whole hours.
import type { ApiRoute } from '../route.ts';
import { ParameterError, onlyParams, timeParam } from '../params.ts';

const DAY_MS = 86_400_000;
/** Longest range served: a year of daily buckets stays a small answer. */
export const MAX_OVERVIEW_DAYS = 366;

export const overviewRoute: ApiRoute = {
  method: 'GET',
  path: '/api/v1/overview',
  handle({ query }, store) {
    onlyParams(query, ['since', 'until']);
    const until = timeParam(query, 'until') ?? Date.now();
    const since = timeParam(query, 'since') ?? until - DAY_MS;
    if (since >= until) throw new ParameterError('since', 'must be before until');
    if (until - since > MAX_OVERVIEW_DAYS * DAY_MS) throw new ParameterError('since', `the range may span at most ${MAX_OVERVIEW_DAYS} days`);
    return { status: 200, body: store.overview({ since, until }) };
  },
};
