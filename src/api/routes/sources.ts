// GET /api/v1/sources: source addresses by number of sessions, with first and last seen, a page at a
// time (`next` is the cursor of the following page, null at the end).
import type { ApiRoute } from '../route.ts';
import { cursorParam, encodeCursor, limitParam, onlyParams, timeParam } from '../params.ts';

export const sourcesRoute: ApiRoute = {
  method: 'GET',
  path: '/api/v1/sources',
  handle({ query }, store) {
    onlyParams(query, ['since', 'until', 'limit', 'cursor']);
    const limit = limitParam(query, 50);
    const cursor = cursorParam(query, 'cursor', ['n', 's']);
    const sources = store.listSources({
      since: timeParam(query, 'since'),
      until: timeParam(query, 'until'),
      after: cursor === undefined ? undefined : { sessions: Number(cursor[0]), ip: String(cursor[1]) },
      limit: limit + 1,
    });
    const page = sources.slice(0, limit);
    const last = page.at(-1);
    const next = sources.length > limit && last !== undefined ? encodeCursor([last.sessions, last.ip]) : null;
    return { status: 200, body: { sources: page, next } };
  },
};
