// LruMap: eviction order, refresh on read, bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LruMap } from './lru-map.ts';

test('evicts the least recently used entry; get refreshes', () => {
  const map = new LruMap<string, number>(2);
  map.set('a', 1).set('b', 2);
  assert.equal(map.get('a'), 1);
  map.set('c', 3);
  assert.equal(map.get('b'), undefined);
  assert.equal(map.get('a'), 1);
  assert.equal(map.get('c'), 3);
  assert.equal(map.delete('a'), true);
  assert.equal(map.size, 1);
});

test('rejects a non-positive bound', () => {
  assert.throws(() => new LruMap(0), RangeError);
});

test('property: never holds more than its bound', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 10 }), fc.array(fc.nat(30), { maxLength: 200 }), (max, keys) => {
      const map = new LruMap<number, number>(max);
      for (const k of keys) {
        map.set(k, k);
        assert.ok(map.size <= max);
        assert.equal(map.get(k), k);
      }
    }),
  );
});
