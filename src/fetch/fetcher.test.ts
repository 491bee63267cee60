// The fetcher against a real loopback HTTP server: payloads, redirects, every limit, the SSRF guard
// (names and redirects included), sharing one fetch among many askers, and the concurrency gate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { createAddressGuard } from './address-guard.ts';
import { createFetchGate } from './fetch-gate.ts';
import { createFetcher, type FetcherOptions } from './fetcher.ts';
import { httpGet } from './http-client.ts';
import type { TransferResult } from './transfer.ts';
import { endlessBody, redirectTo, stallAfterHeaders, startPayloadServer } from '../testing/payload-server.ts';

const notUsed = async (): Promise<TransferResult> => ({ outcome: 'protocol-error', status: null, body: null, bytes: 0, detail: 'not in this test' });

function fetcherFor(overrides: Partial<FetcherOptions> = {}): ReturnType<typeof createFetcher> {
  return createFetcher({
    enabled: true,
    guard: createAddressGuard({ allow: ['127.0.0.1/32'], ownAddresses: [] }),
    gate: createFetchGate({ maxConcurrent: 8, maxPerHost: 4, maxQueued: 100, maxQueuedPerHost: 100, maxWaitMs: 60_000 }),
    transports: { http: httpGet, ftp: notUsed, tftp: notUsed },
    limits: { maxBytes: 1024 * 1024, timeoutMs: 2000, stallMs: 300 },
    maxRedirects: 3,
    resolve: async (host) => (host === 'payloads.test' ? ['127.0.0.1'] : host === 'internal.test' ? ['10.0.0.5'] : Promise.reject(new Error('ENOTFOUND'))),
    now: () => Date.now(),
    shareForMs: 60_000,
    maxCachedBytes: 8 * 1024 * 1024,
    ...overrides,
  });
}

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

test('fetches a payload: bytes, sha256, status, the address used and the tool user agent', async (t) => {
  const payload = Buffer.from('#!/bin/sh\nwget http://127.0.0.1/x.arm\n');
  const server = await startPayloadServer({ '/bins.sh': payload });
  t.after(() => server.close());
  const record = await fetcherFor().fetch(server.url('/bins.sh'), 'Wget');
  assert.equal(record.outcome, 'ok');
  assert.equal(record.status, '200');
  assert.equal(record.bytes, payload.length);
  assert.equal(record.sha256, sha(payload));
  assert.deepEqual(record.body, new Uint8Array(payload));
  assert.equal(record.address, '127.0.0.1');
  assert.equal(record.shared, false);
  assert.deepEqual(server.requests, [{ path: '/bins.sh', userAgent: 'Wget' }]);
});

test('a name is resolved and its address checked; names that resolve to private ranges are refused', async (t) => {
  const server = await startPayloadServer({ '/a': 'A' });
  t.after(() => server.close());
  const fetcher = fetcherFor();
  assert.equal((await fetcher.fetch(`http://payloads.test:${server.port}/a`, 'Wget')).outcome, 'ok');
  const internal = await fetcher.fetch('http://internal.test/a', 'Wget');
  assert.equal(internal.outcome, 'blocked');
  assert.match(internal.detail, /10\.0\.0\.5 \(private\)/);
  assert.equal((await fetcher.fetch('http://nowhere.test/a', 'Wget')).outcome, 'dns-failed');
});

test('without an allow-list entry loopback and private addresses are refused, never contacted', async (t) => {
  const server = await startPayloadServer({ '/a': 'A' });
  t.after(() => server.close());
  const strict = fetcherFor({ guard: createAddressGuard({ allow: [], ownAddresses: [] }) });
  for (const url of [server.url('/a'), 'http://10.0.0.1/a', 'http://[::1]/a', 'http://169.254.169.254/latest/meta-data/', 'http://[::ffff:127.0.0.1]/a']) {
    const record = await strict.fetch(url, 'Wget');
    assert.equal(record.outcome, 'blocked', url);
    assert.equal(record.address, null);
  }
  assert.equal(server.requests.length, 0);
});

test('redirects are followed and each hop is checked again', async (t) => {
  const server = await startPayloadServer({
    '/start': redirectTo('/middle'),
    '/middle': redirectTo('/final', 301),
    '/final': 'payload',
    '/to-metadata': redirectTo('http://169.254.169.254/latest/'),
    '/loop': redirectTo('/loop'),
    '/to-gopher': redirectTo('gopher://127.0.0.1/x'),
  });
  t.after(() => server.close());
  const fetcher = fetcherFor();
  const ok = await fetcher.fetch(server.url('/start'), 'Wget');
  assert.equal(ok.outcome, 'ok');
  assert.equal(ok.redirects, 2);
  assert.equal(ok.finalUrl, server.url('/final'));
  assert.equal(new TextDecoder().decode(ok.body!), 'payload');
  assert.equal((await fetcher.fetch(server.url('/to-metadata'), 'Wget')).outcome, 'blocked');
  const loop = await fetcher.fetch(server.url('/loop'), 'Wget');
  assert.equal(loop.outcome, 'too-many-redirects');
  assert.equal(loop.redirects, 3);
  assert.equal((await fetcher.fetch(server.url('/to-gopher'), 'Wget')).outcome, 'bad-url');
});

test('limits: endless body, a lying Content-Length, a stalled body and a slow server all end with their outcome', async (t) => {
  const server = await startPayloadServer({
    '/endless': endlessBody(),
    '/declared-huge': (_req, res) => res.writeHead(200, { 'Content-Length': String(10 * 1024 * 1024 * 1024) }).end(),
    '/stall': stallAfterHeaders,
    '/slow-drip': (_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('x'), 100);
      res.on('close', () => clearInterval(timer));
    },
    '/missing-is-404': (_req, res) => res.writeHead(404, 'Not Found').end('nope'),
  });
  t.after(() => server.close());
  const fetcher = fetcherFor({ limits: { maxBytes: 256 * 1024, timeoutMs: 1000, stallMs: 300 } });
  const endless = await fetcher.fetch(server.url('/endless'), 'Wget');
  assert.equal(endless.outcome, 'too-large');
  assert.ok(endless.bytes > 256 * 1024);
  assert.equal(endless.sha256, null);
  assert.equal((await fetcher.fetch(server.url('/declared-huge'), 'Wget')).outcome, 'too-large');
  assert.equal((await fetcher.fetch(server.url('/stall'), 'Wget')).outcome, 'stalled');
  const started = Date.now();
  assert.equal((await fetcher.fetch(server.url('/slow-drip'), 'Wget')).outcome, 'timeout');
  assert.ok(Date.now() - started < 1500);
  const missing = await fetcher.fetch(server.url('/missing-is-404'), 'Wget');
  assert.equal(missing.outcome, 'server-error');
  assert.equal(missing.statusLine, 'HTTP/1.1 404 Not Found');
});

test('a refused port and unsupported or malformed URLs', async () => {
  const fetcher = fetcherFor();
  assert.equal((await fetcher.fetch('http://127.0.0.1:1/x', 'Wget')).outcome, 'refused');
  assert.equal((await fetcher.fetch('gopher://127.0.0.1/x', 'Wget')).outcome, 'unsupported');
  assert.equal((await fetcher.fetch('http://', 'Wget')).outcome, 'bad-url');
});

test('record-only mode fetches nothing', async (t) => {
  const server = await startPayloadServer({ '/a': 'A' });
  t.after(() => server.close());
  assert.equal((await fetcherFor({ enabled: false }).fetch(server.url('/a'), 'Wget')).outcome, 'disabled');
  assert.equal(server.requests.length, 0);
});

test('many bots asking for the same URL cause one request; the others share its result', async (t) => {
  const server = await startPayloadServer({ '/mirai.arm7': Buffer.alloc(5000, 7) });
  t.after(() => server.close());
  const fetcher = fetcherFor();
  const records = await Promise.all(Array.from({ length: 50 }, () => fetcher.fetch(server.url('/mirai.arm7'), 'Wget')));
  assert.equal(server.requests.length, 1);
  assert.equal(records.filter((r) => r.shared).length, 49);
  assert.ok(records.every((r) => r.outcome === 'ok' && r.sha256 === records[0]!.sha256));
});

test('the gate: a full queue refuses at once instead of making anyone wait', async (t) => {
  const server = await startPayloadServer({ '/slow': stallAfterHeaders });
  t.after(() => server.close());
  const fetcher = fetcherFor({ gate: createFetchGate({ maxConcurrent: 1, maxPerHost: 1, maxQueued: 1, maxQueuedPerHost: 1, maxWaitMs: 60_000 }), limits: { maxBytes: 1024, timeoutMs: 1000, stallMs: 400 } });
  const first = fetcher.fetch(`${server.url('/slow')}?1`, 'Wget');
  const second = fetcher.fetch(`${server.url('/slow')}?2`, 'Wget');
  const started = Date.now();
  const third = await fetcher.fetch(`${server.url('/slow')}?3`, 'Wget');
  assert.equal(third.outcome, 'queue-full');
  assert.ok(Date.now() - started < 100);
  assert.deepEqual([(await first).outcome, (await second).outcome], ['stalled', 'stalled']);
});

test('HTTPS with a self-signed certificate is fetched, with the URL host as SNI and Host', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-tls-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=payloads.test', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
  const seen: { sni: string | false | null; host: string | undefined }[] = [];
  const server = createHttpsServer({ key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) }, (req, res) => {
    seen.push({ sni: (req.socket as TLSSocket).servername, host: req.headers.host });
    res.end('tls payload');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  const record = await fetcherFor().fetch(`https://payloads.test:${port}/x.arm7`, 'Wget');
  assert.equal(record.outcome, 'ok');
  assert.equal(new TextDecoder().decode(record.body!), 'tls payload');
  assert.deepEqual(seen, [{ sni: 'payloads.test', host: `payloads.test:${port}` }]);
});

test('close aborts running fetches and refuses waiting ones; each still ends with a record', async (t) => {
  const server = await startPayloadServer({ '/slow': stallAfterHeaders });
  t.after(() => server.close());
  const fetcher = fetcherFor({ gate: createFetchGate({ maxConcurrent: 1, maxPerHost: 1, maxQueued: 10, maxQueuedPerHost: 10, maxWaitMs: 60_000 }), limits: { maxBytes: 1024, timeoutMs: 30_000, stallMs: 30_000 } });
  const running = fetcher.fetch(`${server.url('/slow')}?1`, 'Wget');
  const waiting = fetcher.fetch(`${server.url('/slow')}?2`, 'Wget');
  await new Promise((resolve) => setTimeout(resolve, 100));
  const started = Date.now();
  fetcher.close();
  const [a, b] = await Promise.all([running, waiting]);
  assert.ok(Date.now() - started < 500);
  assert.deepEqual([a.outcome, a.detail], ['error', 'aborted']);
  assert.deepEqual([b.outcome, b.detail], ['error', 'hachi is stopping; not fetched']);
  assert.equal((await fetcher.fetch(`${server.url('/slow')}?3`, 'Wget')).outcome, 'error');
});
