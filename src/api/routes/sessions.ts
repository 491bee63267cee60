// GET /api/v1/sessions: sessions newest first, filtered by persona, device, source, protocol,
// credential, command text and time; `next` is the cursor of the following page (null at the end).
import type { ApiRoute } from '../route.ts';
import { choiceParam, cursorParam, encodeCursor, ipParam, limitParam, onlyParams, textParam, timeParam } from '../params.ts';

const PROTOCOLS = ['telnet', 'ssh', 'http', 'tcp'] as const;
const PARAMS = ['persona', 'device', 'source', 'protocol', 'username', 'password', 'command', 'since', 'until', 'limit', 'cursor'];

export const sessionsRoute: ApiRoute = {
  method: 'GET',
  path: '/api/v1/sessions',
  handle({ query }, store) {
    onlyParams(query, PARAMS);
    const limit = limitParam(query, 50);
    const cursor = cursorParam(query, 'cursor', ['n', 's']);
    const sessions = store.searchSessions({
      persona: textParam(query, 'persona'),
      device: textParam(query, 'device'),
      source: ipParam(query, 'source'),
      protocol: choiceParam(query, 'protocol', PROTOCOLS),
      username: textParam(query, 'username'),
      password: textParam(query, 'password'),
      command: textParam(query, 'command'),
      since: timeParam(query, 'since'),
      until: timeParam(query, 'until'),
      after: cursor === undefined ? undefined : { start: Number(cursor[0]), id: String(cursor[1]) },
      // One more than asked tells whether another page exists.
      limit: limit + 1,
    });
    const page = sessions.slice(0, limit);
    const last = page.at(-1);
    const next = sessions.length > limit && last !== undefined ? encodeCursor([last.start, last.id]) : null;
    return { status: 200, body: { sessions: page, next } };
  },
};
