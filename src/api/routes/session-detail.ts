// GET /api/v1/sessions/:id: one session, its events in emission order (a page at a time; `next` is
// the cursor of the following page) and its recording, when one was written.
import type { ApiRoute } from '../route.ts';
import { notFound } from '../route.ts';
import { ParameterError, cursorParam, encodeCursor, limitParam, onlyParams } from '../params.ts';

/** Session ids as hachi makes them (ULIDs), and other plain tokens. */
export const SESSION_ID = /^[0-9A-Za-z_-]{1,64}$/;
const MAX_EVENTS = 1000;

export function sessionIdParam(id: string | undefined): string {
  if (id === undefined || !SESSION_ID.test(id)) throw new ParameterError('id', 'must be a session id (letters, digits, - and _, at most 64)');
  return id;
}

export const sessionDetailRoute: ApiRoute = {
  method: 'GET',
  path: '/api/v1/sessions/:id',
  handle({ params, query }, store) {
    const id = sessionIdParam(params.id);
    onlyParams(query, ['limit', 'cursor']);
    const limit = limitParam(query, 200, MAX_EVENTS);
    const cursor = cursorParam(query, 'cursor', ['s']);
    const session = store.getSession(id);
    if (!session) return notFound(`no session ${id}`);
    const events = store.listEvents({ session: id, after: cursor === undefined ? undefined : String(cursor[0]), limit: limit + 1 });
    const page = events.slice(0, limit);
    const last = page.at(-1);
    const next = events.length > limit && last !== undefined ? encodeCursor([last.id]) : null;
    const recording = store.getRecording(id);
    return { status: 200, body: { session, events: page, next, recording: recording === null ? null : { ...recording, url: `/api/v1/sessions/${id}/recording` } } };
  },
};
