// Stand-ins the composition root uses until the persona web interfaces (src/web) and exploit
// detection (src/exploits) are plugged in: every request gets a bare 404, and nothing is matched.
import type { HttpInspector, HttpResponder } from '../core/http.ts';

const notFound = Buffer.from('404 Not Found\n', 'latin1');
const badRequest = Buffer.from('400 Bad Request\n', 'latin1');

/** FALLBACK, not a device: 404 (400 for a malformed request, then close) with no Server header. */
export const fallbackNotFoundResponder: HttpResponder = {
  serverName: null,
  respond: (request) => {
    const bad = request.error !== null;
    const body = bad ? badRequest : notFound;
    return {
      status: bad ? 400 : 404,
      reason: bad ? 'Bad Request' : 'Not Found',
      headers: [
        ['Content-Type', 'text/plain'],
        ['Content-Length', String(body.length)],
      ],
      body,
      close: bad,
    };
  },
};

/** FALLBACK: inspects nothing (no exploit.detected, no http.scanner) until an inspector is passed in. */
export const noHttpInspection: HttpInspector = {
  inspect: () => ({ exploits: [], scanner: null }),
};
