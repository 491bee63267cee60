// Property of the HTTP session: hostile byte streams, split anywhere and half-closed, never make it
// throw, always end it with exactly one session.close, and never keep more than the limits allow.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { EventPayloads } from '../../core/events.ts';
import { createDuplexPair } from '../../testing/duplex-pair.ts';
import { createRegexInspector, createTestResponder, gponStandIn } from '../../testing/http-stand-ins.ts';
import { RecordingEmitter } from '../../testing/recording-emitter.ts';
import { defaultHttpLimits, handleHttp, type HttpLimits } from './session.ts';

const limits: HttpLimits = { ...defaultHttpLimits, maxHeaderBytes: 256, maxHeaderCount: 6, maxBodyBytes: 16, maxBodyReadBytes: 128, maxRawBytes: 32, maxRequests: 5, maxInputBytes: 4096 };

const piece = fc.oneof(
  fc.constantFrom('GET / HTTP/1.1\r\n\r\n', 'POST /GponForm/diag_Form?images/ HTTP/1.1\r\nContent-Length: 12\r\n\r\ndest_host=`a', 'GET /close HTTP/1.0\r\n\r\n', 'Transfer-Encoding: chunked\r\n', '5\r\nhello\r\n0\r\n\r\n', 'Content-Length: 3\r\n', '\r\n', '\0', ' '),
  fc.string({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('latin1')),
);

test('hostile streams end in exactly one session.close, within limits, without throwing', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(piece, { maxLength: 30 }), async (pieces) => {
      const { server, client } = createDuplexPair();
      const events = new RecordingEmitter();
      client.on('data', () => undefined);
      const done = handleHttp(server, {
        events,
        responder: createTestResponder(),
        inspector: createRegexInspector([gponStandIn]),
        deviceClass: 'router',
        src: { ip: '127.0.0.1', port: 1 },
        dst: { ip: '127.0.0.1', port: 80 },
        tls: false,
        clock: { now: () => Date.now() },
        limits,
      });
      for (const p of pieces) client.write(Buffer.from(p, 'latin1'));
      client.end();
      await done;
      const of = <K extends 'http.request' | 'session.close'>(type: K): EventPayloads[K][] => events.events.filter((e) => e.type === type).map((e) => e.data as EventPayloads[K]);
      assert.equal(of('session.close').length, 1);
      assert.equal(events.events.at(-1)?.type, 'session.close');
      for (const r of of('http.request')) {
        assert.ok(r.body.length <= limits.maxBodyBytes && (r.raw?.length ?? 0) <= limits.maxRawBytes && r.seq <= limits.maxRequests);
      }
    }),
    { numRuns: 150 },
  );
});
