// Stand-ins for a persona's web interface and for exploit detection in tests of the HTTP session and
// service: a responder with a few fixed behaviours, and an inspector of regex signatures.
import type { ExploitMatch, HttpInspector, HttpRequest, HttpResponder, HttpResponse } from '../core/http.ts';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');

function page(status: number, reason: string, body: string, extra: [string, string][] = []): HttpResponse {
  const data = bytes(body);
  return { status, reason, headers: [['Server', 'test-device'], ['Content-Type', 'text/plain'], ['Content-Length', String(data.length)], ...extra], body: data };
}

/**
 * Answers: malformed → 400 and close; /close → Connection: close; /nolength → no Content-Length;
 * /slow → after 30 ms (pipelined answers must stay in order); else 200 "seq N". HTTP/1.0 clients
 * asking for keep-alive get it. Never reflects request bytes.
 */
export function createTestResponder(): HttpResponder & { readonly seen: HttpRequest[] } {
  const seen: HttpRequest[] = [];
  return {
    serverName: 'test-device',
    seen,
    respond(request) {
      seen.push(request);
      if (request.error !== null) return { ...page(400, 'Bad Request', 'bad request\n', [['Connection', 'close']]), close: true };
      const keepAlive10 = request.version === 'HTTP/1.0' && request.headers.some(([n, v]) => n.toLowerCase() === 'connection' && /keep-alive/i.test(v));
      const extra: [string, string][] = keepAlive10 ? [['Connection', 'keep-alive']] : [];
      if (request.path === '/close') return page(200, 'OK', 'bye\n', [['Connection', 'close']]);
      if (request.path === '/nolength') return { status: 200, reason: 'OK', headers: [['Content-Type', 'text/plain']], body: bytes('until close\n') };
      const answer = page(200, 'OK', `seq ${request.seq}\n`, extra);
      if (request.path === '/slow') return new Promise((resolve) => setTimeout(() => resolve(answer), 30));
      return answer;
    },
  };
}

export interface StandInSignature {
  readonly id: string;
  /** Matched against "METHOD target\nheaders\nbody" (latin1); group 1, when present, is the payload. */
  readonly pattern: RegExp;
  readonly classes: readonly string[];
}

/** Regex signatures and a user-agent scanner tag: the same kind of work as the real inspector. */
export function createRegexInspector(signatures: readonly StandInSignature[]): HttpInspector {
  return {
    inspect(request) {
      const text = `${request.method} ${request.target}\n${request.headers.map(([n, v]) => `${n}: ${v}`).join('\n')}\n${Buffer.from(request.body).toString('latin1')}`;
      const exploits: ExploitMatch[] = [];
      for (const s of signatures) {
        const match = s.pattern.exec(text);
        if (!match) continue;
        exploits.push({ signature: s.id, name: s.id, cves: [], vendor: 'test', product: 'test', technique: 'T1190', classes: s.classes, payload: match[1] ?? null, evidence: match[0].slice(0, 200), response: null });
      }
      const agent = request.headers.find(([n]) => n.toLowerCase() === 'user-agent')?.[1] ?? '';
      const scanner = /zgrab/i.test(agent) ? { scanner: 'zgrab', kind: 'research' as const, evidence: agent } : null;
      return { exploits, scanner };
    },
  };
}

/** A GPON-like command injection signature for tests. */
export const gponStandIn: StandInSignature = { id: 'gpon-standin', pattern: /^POST \/GponForm\/diag_Form[^\n]*\n[\s\S]*dest_host=`([^`]*)`/, classes: ['router'] };
