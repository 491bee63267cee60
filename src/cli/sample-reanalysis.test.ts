// Re-analysis runner with a stand-in queue: events per sample in one batch, inner files stored and
// analysed once, missing bytes and analysis errors reported as failures, bounded work in flight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SampleAnalysis } from '../analysis/analyse-sample.ts';
import type { AnalysisQueue } from '../analysis/analysis-queue.ts';
import { SCHEMA_VERSION, type SensorEvent } from '../core/events.ts';
import { reanalyse, type ReanalysisDeps } from './sample-reanalysis.ts';

const sha = (c: string): string => c.repeat(64);

function analysisOf(sha256: string, family: string | null, inner: string | null): SampleAnalysis {
  return {
    file: { sha256, size: 1, kind: 'elf', description: 'ELF', arch: 'arm', machine: 'ARM', elf: null, upx: null, tlsh: null, inner, durationMs: 1 },
    indicators: { sha256, ipv4: [], ipv6: [], domains: [], urls: [], hostPorts: [], userAgents: [], credentials: [], strings: 0, truncated: false },
    families: family === null ? [] : [{ sha256, family, variant: null, rule: family, engine: 'builtin', evidence: [] }],
    mirai: null,
    inner: inner === null ? null : { sha256: inner, bytes: new Uint8Array([1]), how: 'gzip' },
  };
}

function deps(answers: Record<string, SampleAnalysis | Error>): ReanalysisDeps & { batches: SensorEvent[][]; stored: string[]; maxRunning: number } {
  let running = 0;
  const state = { batches: [] as SensorEvent[][], stored: [] as string[], maxRunning: 0 };
  const queue: AnalysisQueue = {
    submit(sha256) {
      running += 1;
      state.maxRunning = Math.max(state.maxRunning, running);
      const answer = answers[sha256] ?? new Error('no answer');
      return new Promise<SampleAnalysis>((resolve, reject) => setTimeout(() => (running -= 1, answer instanceof Error ? reject(answer) : resolve(answer)), 2));
    },
    stats: () => ({ queued: 0, running: 0, done: 0, failed: 0, refused: 0 }),
    close: () => Promise.resolve(),
  };
  return Object.assign(state, {
    queue,
    read: async (s: string) => (s === sha('9') ? { ok: false as const, reason: 'missing' as const, detail: 'not stored' } : { ok: true as const, bytes: new Uint8Array([0]) }),
    storeInner: async (s: string) => void state.stored.push(s),
    makeEvent: (type: SensorEvent['type'], data: unknown, ts: number) => ({ id: `${type}-${ts}`, type, ts, schema: SCHEMA_VERSION, sensor: 'cli', data }) as SensorEvent,
    write: async (events: readonly SensorEvent[]) => void state.batches.push([...events]),
    now: Date.now,
    inFlight: 2,
  });
}

test('every sample is analysed once, its events written as one batch, inner files followed', async () => {
  const d = deps({
    [sha('a')]: analysisOf(sha('a'), 'mirai', sha('c')),
    [sha('b')]: analysisOf(sha('b'), null, null),
    [sha('c')]: analysisOf(sha('c'), 'mirai', null),
    [sha('d')]: new Error('worker crashed'),
  });
  const progress: number[][] = [];
  const result = await reanalyse([sha('a'), sha('b'), sha('a'), sha('c'), sha('d'), sha('9')], { ...d, onProgress: (...p) => void progress.push(p) });
  assert.equal(result.analysed, 3);
  assert.equal(result.inner, 0, 'c was asked for directly before a revealed it');
  assert.deepEqual(result.failed.map((f) => [f.sha256, f.reason]).sort(), [[sha('9'), 'not stored'], [sha('d'), 'worker crashed']]);
  assert.deepEqual([...result.families], [['mirai', 2]]);
  assert.equal(result.unlabelled, 1);
  assert.equal(d.batches.length, 3);
  assert.equal(d.batches.filter((b) => b.map((e) => e.type).join() === 'analysis.file,analysis.indicators,analysis.family').length, 2);
  assert.ok(d.batches.every((b) => new Set(b.map((e) => e.ts)).size === 1), 'one timestamp per sample');
  assert.ok(d.maxRunning <= 2);
  assert.deepEqual(progress.at(-1), [5, 2, 5]);
});

test('a file found inside is stored and analysed too, counted as inner', async () => {
  const d = deps({ [sha('a')]: analysisOf(sha('a'), null, sha('c')), [sha('c')]: analysisOf(sha('c'), 'gafgyt', null) });
  const result = await reanalyse([sha('a')], d);
  assert.deepEqual([result.analysed, result.inner, result.failed.length], [2, 1, 0]);
  assert.deepEqual(d.stored, [sha('c')]);
  assert.deepEqual([...result.families], [['gafgyt', 1]]);
});
