// Sample listing queries: inner files alongside captures, verdicts, sources, filters, prefix lookup,
// digests for clustering and the re-analysis lists, read from events written through the SQLite sink.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from './store.ts';
import { storeWithEvents } from '../testing/store-with-events.ts';
import { SHA, TLSH_ARM, URL_ARM, URL_DROPPER, sampleHistory } from '../testing/sample-store-events.ts';

const historyStore = (t: { after: (fn: () => unknown) => void }): Promise<Store> => storeWithEvents(t, sampleHistory());

test('every sample once, most recently seen first, inner files with the times of their container', async (t) => {
  const store = await historyStore(t);
  const all = store.listSamples();
  assert.deepEqual(all.map((s) => s.sha256).sort(), Object.values(SHA).sort());
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1]!.lastSeen >= all[i]!.lastSeen);
  const arm = store.getSample(SHA.arm)!;
  assert.deepEqual([arm.count, arm.kind, arm.arch, arm.family, arm.variant, arm.source, arm.foundIn], [2, 'upx-elf', 'arm', 'mirai', null, URL_ARM, null]);
  assert.deepEqual([...arm.personas].sort(), ['hi3518-camera', 'tplink-router']);
  const inner = store.getSample(SHA.inner)!;
  assert.deepEqual([inner.count, inner.foundIn, inner.firstSeen, inner.lastSeen, inner.family, inner.variant], [0, SHA.arm, arm.firstSeen, arm.lastSeen, 'mirai', 'satori']);
  const echoed = store.getSample(SHA.echoed)!;
  assert.equal(echoed.source, '/tmp/e', 'no URL: the path it was written to');
  assert.equal(typeof echoed.evictedAt, 'number');
  assert.equal(store.getSample(SHA.dropper)!.source, URL_DROPPER);
  assert.equal(store.getSample(SHA.unanalysed)!.kind, null);
  assert.equal(store.getSample('0'.repeat(64)), null);
});

test('filters: family (verdict or any rule the current analysis matched, any case), arch, limit; values stay parameters', async (t) => {
  const store = await historyStore(t);
  assert.deepEqual(store.listSamples({ family: 'MIRAI' }).map((s) => s.sha256).sort(), [SHA.arm, SHA.inner].sort());
  assert.deepEqual(store.listSamples({ family: 'gafgyt' }), [], 'a match of an earlier analysis no longer counts');
  assert.deepEqual(store.listSamples({ family: 'mirai' }).map((s) => s.sha256).sort(), [SHA.arm, SHA.inner].sort());
  assert.equal(store.listSamples({ arch: 'arm' }).length, 2);
  assert.equal(store.listSamples({ arch: 'arm', family: 'mirai', limit: 1 }).length, 1);
  assert.deepEqual(store.listSamples({ family: "x' OR '1'='1" }), []);
});

test('a prefix resolves to its sample; a shared prefix to all candidates; non-hex to none', async (t) => {
  const store = await historyStore(t);
  assert.deepEqual(store.resolveSample('ab12cd340'), [SHA.arm]);
  assert.deepEqual(store.resolveSample('ab12cd34'), [SHA.arm, SHA.echoed]);
  assert.deepEqual(store.resolveSample('e1222222'), [SHA.inner], 'inner files are found too');
  assert.deepEqual(store.resolveSample(SHA.dropper), [SHA.dropper]);
  assert.deepEqual(store.resolveSample("ab' OR 1=1 --"), []);
  assert.deepEqual(store.resolveSample('ffffffff'), []);
});

test('digests and verdicts of every analysed sample, and what to re-analyse', async (t) => {
  const store = await historyStore(t);
  const digests = store.listDigests();
  assert.deepEqual(digests.map((d) => d.sha256).sort(), [SHA.arm, SHA.dropper, SHA.echoed, SHA.inner].sort());
  assert.equal(digests.find((d) => d.sha256 === SHA.arm)?.tlsh, TLSH_ARM);
  assert.deepEqual(store.listAnalysable().sort(), [SHA.arm, SHA.dropper, SHA.inner, SHA.unanalysed].sort(), 'evicted samples have no bytes left');
  assert.deepEqual(store.listAnalysable({ missingOnly: true }), [SHA.unanalysed]);
});
