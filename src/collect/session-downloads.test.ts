// A session's downloads: the tool waits at most waitMs, the fetch is recorded and stored whenever it
// ends, payloads go on for analysis, and follow-ups carry their parent and depth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArtifactStore } from '../core/ports.ts';
import type { Fetcher, FetchRecord } from '../fetch/fetcher.ts';
import { RecordingEmitter } from '../testing/recording-emitter.ts';
import { createSessionDownloads, type FetchedPayload } from './session-downloads.ts';

function record(url: string, overrides: Partial<FetchRecord> = {}): FetchRecord {
  const body = new TextEncoder().encode(`payload of ${url}`);
  return { url, finalUrl: url, outcome: 'ok', status: '200', statusLine: null, address: '198.51.100.7', bytes: body.length, sha256: `sha-${url}`, body, redirects: 0, startedAt: 0, durationMs: 5, detail: '200', shared: false, ...overrides };
}

function memoryStore(): ArtifactStore & { readonly puts: string[] } {
  const map = new Map<string, Uint8Array>();
  const puts: string[] = [];
  return {
    puts,
    put: async (sha, bytes) => {
      puts.push(sha);
      const isNew = !map.has(sha);
      map.set(sha, bytes);
      return { isNew };
    },
    get: async (sha) => map.get(sha) ?? null,
    has: async (sha) => map.has(sha),
  };
}

function setup(delays: Readonly<Record<string, number>>) {
  const events = new RecordingEmitter();
  const artifacts = memoryStore();
  const payloads: FetchedPayload[] = [];
  const fetcher: Fetcher = { fetch: (url) => new Promise((resolve) => setTimeout(() => resolve(record(url)), delays[url] ?? 0)), close: () => undefined };
  const downloads = createSessionDownloads({ fetcher, events, artifacts, logger: { warn: () => undefined }, waitMs: 100, userAgent: () => 'Wget', onPayload: (p) => payloads.push(p) });
  return { events, artifacts, payloads, downloads };
}

test('a quick fetch answers the tool with the bytes; event, store and payload follow', async () => {
  const { events, artifacts, payloads, downloads } = setup({});
  const reply = await downloads.fetch({ tool: 'wget', url: 'http://h/a' });
  assert.equal(reply.outcome, 'ok');
  assert.equal(new TextDecoder().decode(reply.body!), 'payload of http://h/a');
  await downloads.idle();
  const [fetched] = events.ofType('download.fetch');
  assert.equal(fetched?.outcome, 'ok');
  assert.equal(fetched?.parent, null);
  assert.equal(fetched?.depth, 0);
  assert.deepEqual(artifacts.puts, ['sha-http://h/a']);
  assert.deepEqual(payloads.map((p) => [p.url, p.depth]), [['http://h/a', 0]]);
});

test('a slow fetch: the tool stops waiting after waitMs, the fetch is still recorded when it ends', async () => {
  const { events, downloads } = setup({ 'http://h/slow': 400 });
  const started = Date.now();
  const reply = await downloads.fetch({ tool: 'wget', url: 'http://h/slow' });
  assert.equal(reply.outcome, 'pending');
  assert.ok(Date.now() - started < 300);
  assert.equal(events.ofType('download.fetch').length, 0);
  await downloads.idle();
  assert.equal(events.ofType('download.fetch')[0]?.outcome, 'ok');
});

test('follow-ups are linked to the script that named them', async () => {
  const { events, payloads, downloads } = setup({});
  await downloads.follow({ tool: 'tftp', url: 'tftp://h/x.arm', parent: 'sha-script', depth: 1 });
  await downloads.idle();
  assert.deepEqual(events.ofType('download.fetch').map((e) => [e.tool, e.parent, e.depth]), [['tftp', 'sha-script', 1]]);
  assert.equal(payloads[0]?.depth, 1);
});

test('a failed fetch is recorded and nothing is stored', async () => {
  const events = new RecordingEmitter();
  const artifacts = memoryStore();
  const fetcher: Fetcher = { fetch: async (url) => record(url, { outcome: 'blocked', body: null, sha256: null, bytes: 0, address: null, detail: 'refused by the SSRF guard' }), close: () => undefined };
  const downloads = createSessionDownloads({ fetcher, events, artifacts, logger: { warn: () => undefined }, waitMs: 100, userAgent: () => 'Wget' });
  assert.equal((await downloads.fetch({ tool: 'wget', url: 'http://10.0.0.1/x' })).outcome, 'blocked');
  await downloads.idle();
  assert.equal(events.ofType('download.fetch')[0]?.outcome, 'blocked');
  assert.deepEqual(artifacts.puts, []);
});
