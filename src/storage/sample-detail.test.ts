// One sample in detail: sightings across sessions, personas, sensors and attackers; dropper links
// both ways; fetches; containers; and the current analysis without a previous one's stale matches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from './store.ts';
import { storeWithEvents } from '../testing/store-with-events.ts';
import { SHA, URL_ARM, URL_DROPPER, sampleHistory } from '../testing/sample-store-events.ts';

const historyStore = (t: { after: (fn: () => unknown) => void }): Promise<Store> => storeWithEvents(t, sampleHistory());

test('where a sample was seen, what named it and how it was fetched', async (t) => {
  const store = await historyStore(t);
  const d = store.getSampleDetail(SHA.arm);
  assert.equal(d.sightings.total, 2);
  assert.equal(d.sightings.sessionCount, 2);
  assert.deepEqual(d.sightings.personas, ['hi3518-camera', 'tplink-router']);
  assert.deepEqual(d.sightings.sensors, ['test-sensor']);
  assert.deepEqual(d.sightings.sourceAddresses, ['198.51.0.1', '198.51.0.2']);
  assert.deepEqual(d.sightings.sourceUrls, [URL_ARM]);
  assert.deepEqual(d.sightings.paths, [], 'fetched, never written to a path');
  assert.deepEqual(d.parents.map((p) => [p.sha256, p.url]), [[SHA.dropper, URL_ARM]]);
  assert.deepEqual(d.children, []);
  assert.equal(d.fetchCount, 2);
  assert.deepEqual(d.fetches.map((f) => [f.outcome, f.depth, f.parent]), [['ok', 0, null], ['ok', 1, SHA.dropper]], 'newest first');
  const dropper = store.getSampleDetail(SHA.dropper);
  assert.deepEqual(dropper.children.map((c) => c.sha256), [SHA.arm], 'the failed fetch stored nothing and links nothing');
  assert.deepEqual(dropper.fetches.map((f) => f.url), [URL_DROPPER]);
  assert.deepEqual(store.getSampleDetail(SHA.echoed).sightings.paths, ['/tmp/e']);
});

test('the current analysis: file report, families with evidence, indicators, Mirai config, container', async (t) => {
  const store = await historyStore(t);
  const a = store.getSampleDetail(SHA.arm).analysis!;
  assert.equal(a.file.kind, 'upx-elf');
  assert.equal(a.file.inner, SHA.inner);
  assert.deepEqual([a.family, a.variant], ['mirai', null]);
  assert.deepEqual(a.families.map((f) => [f.rule, f.family, f.engine, f.evidence]), [['mirai', 'mirai', 'builtin', ['/bin/busybox@100']]], 'the stale gafgyt match is left out');
  assert.deepEqual(a.indicators, { credential: ['root:xc3511'], domains: ['cnc.example.net'], ipv4: ['198.51.100.9'] });
  assert.deepEqual([a.mirai?.key, a.mirai?.cnc], [0x22, { domain: 'cnc.example.net', port: 23 }]);
  const inner = store.getSampleDetail(SHA.inner);
  assert.deepEqual(inner.containedIn, [SHA.arm]);
  assert.deepEqual([inner.analysis?.family, inner.analysis?.variant], ['mirai', 'satori']);
  assert.equal(inner.sightings.total, 0);
  assert.equal(store.getSampleDetail(SHA.unanalysed).analysis, null);
});
