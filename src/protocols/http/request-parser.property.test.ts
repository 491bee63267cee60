// Properties of the HTTP request parser: random and mutated requests split at random points never
// make it throw, what it returns and holds stays within its limits, and the splits never change it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createRequestParser, type ParsedRequest, type RequestLimits } from './request-parser.ts';

const limits: RequestLimits = { maxHeaderBytes: 512, maxHeaderCount: 8, maxBodyBytes: 32, maxBodyReadBytes: 200, maxRawBytes: 64 };

function parse(bytes: Uint8Array, cuts: readonly number[]): { out: ParsedRequest[]; maxPending: number } {
  const parser = createRequestParser(limits, { tls: false });
  const out: ParsedRequest[] = [];
  let maxPending = 0;
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...points, bytes.length]) {
    if (to <= from) continue;
    parser.push(bytes.subarray(from, to));
    for (let p = parser.next(); p; p = parser.next()) out.push(p);
    maxPending = Math.max(maxPending, parser.pendingBytes);
    from = to;
  }
  const cut = parser.end('connection closed inside the request');
  if (cut) out.push(cut);
  return { out, maxPending };
}

const method = fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'OPTIONS', 'M-SEARCH', 'get', 'G ET', '');
const target = fc.oneof(fc.constantFrom('/', '/cgi-bin/;reboot', '/a?b=c&d=$(wget x)', '*', 'http://h/p', '/%00', '/\xff'), fc.stringMatching(/^\/[ -~]{0,40}$/));
const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1\r', '', 'HTTP/x');
const header = fc.oneof(
  fc.constantFrom('Host: h', 'Connection: close', 'Transfer-Encoding: chunked', 'Content-Length: 5', 'Content-Length: 9999', 'X:  y', ' folded', 'Bad Header', 'X: \0'),
  fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,12}$/), fc.string({ maxLength: 80 })).map(([n, v]) => `${n}: ${v}`),
);
const body = fc.oneof(fc.constant(''), fc.string({ maxLength: 300 }), fc.constantFrom('5\r\nhello\r\n0\r\n\r\n', 'zz\r\n', '0\r\n\r\n'));
const request = fc
  .tuple(method, target, version, fc.array(header, { maxLength: 12 }), body, fc.constantFrom('\r\n', '\n'))
  .map(([m, t, v, hs, b, eol]) => `${m} ${t} ${v}${eol}${hs.map((h) => h + eol).join('')}${eol}${b}`);
const mutation = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'insert', 'delete'));

function mutate(text: string, mutations: readonly (readonly [number, number, string])[]): Uint8Array {
  const bytes = [...Buffer.from(text, 'latin1')];
  for (const [at, value, kind] of mutations) {
    const i = bytes.length === 0 ? 0 : at % bytes.length;
    if (kind === 'flip' && bytes.length > 0) bytes[i] = value;
    else if (kind === 'insert') bytes.splice(i, 0, value);
    else bytes.splice(i, 1);
  }
  return Uint8Array.from(bytes);
}

const stream = fc.tuple(fc.array(request, { minLength: 1, maxLength: 4 }), fc.array(mutation, { maxLength: 4 })).map(([rs, ms]) => mutate(rs.join(''), ms));

test('random and mutated requests, split anywhere: no throw, within limits, independent of the splits', () => {
  fc.assert(
    fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), (bytes, cuts) => {
      const whole = parse(bytes, []);
      const split = parse(bytes, cuts);
      // A request rejected by its first line is given up at once: its raw bytes are those that had
      // arrived by then, so with other splits they are a prefix of each other; all else is equal.
      const withoutRaw = (out: ParsedRequest[]): unknown[] => out.map((p) => ({ ...p, request: { ...p.request, raw: p.request.raw === null ? null : 'raw' } }));
      assert.deepEqual(withoutRaw(split.out), withoutRaw(whole.out));
      split.out.forEach((p, i) => {
        const a = Buffer.from(p.request.raw ?? []);
        const b = Buffer.from(whole.out[i]?.request.raw ?? []);
        assert.ok(a.length <= b.length ? b.subarray(0, a.length).equals(a) : a.subarray(0, b.length).equals(b));
      });
      const largestChunk = Math.max(0, ...[0, ...cuts.map((c) => c % (bytes.length + 1)), bytes.length].sort((a, b) => a - b).map((c, i, all) => c - (all[i - 1] ?? 0)));
      assert.ok(split.maxPending <= Math.max(largestChunk, bytes.length));
      whole.out.forEach((p, i) => {
        const r = p.request;
        assert.equal(r.seq, i + 1);
        assert.ok(r.body.length <= limits.maxBodyBytes);
        assert.ok((r.raw?.length ?? 0) <= limits.maxRawBytes);
        assert.ok(r.headers.reduce((n, [k, v]) => n + k.length + v.length, 0) <= 2 * limits.maxHeaderBytes);
        assert.equal(r.raw === null, r.error === null);
        // Only the last request can stop the parser.
        assert.equal(p.final, i === whole.out.length - 1 && p.final);
      });
    }),
    { numRuns: 400 },
  );
});

test('a stream of valid keep-alive requests parses to one request each', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.stringMatching(/^\/[a-z0-9]{0,10}$/), fc.string({ maxLength: 20 })), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (items, cuts) => {
      const text = items.map(([p, b]) => `POST ${p} HTTP/1.1\r\nContent-Length: ${Buffer.byteLength(b, 'latin1')}\r\n\r\n${b}`).join('');
      const { out } = parse(Buffer.from(text, 'latin1'), cuts);
      assert.deepEqual(
        out.map((p) => [p.request.path, Buffer.from(p.request.body).toString('latin1'), p.request.error]),
        items.map(([p, b]) => [p, b.slice(0, limits.maxBodyBytes), null]),
      );
    }),
  );
});
