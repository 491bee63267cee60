// One SFTP upload put together from writes: overlaps, holes, and the cap on tracked runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createSftpUpload } from './sftp-upload.ts';

test('writes in any order give the same bytes; holes are marked', () => {
  const body = Buffer.from('0123456789abcdefghij');
  fc.assert(
    fc.property(fc.shuffledSubarray([0, 4, 8, 12, 16], { minLength: 5, maxLength: 5 }), (order) => {
      const upload = createSftpUpload('/tmp/x', 64);
      for (const at of order) upload.write(at, body.subarray(at, at + 4));
      const { bytes, holes } = upload.result();
      assert.deepEqual(Buffer.from(bytes), body);
      assert.equal(holes, false);
    }),
  );
  const sparse = createSftpUpload('/tmp/y', 64);
  sparse.write(10, Buffer.from('z'));
  sparse.write(0, Buffer.alloc(0));
  assert.deepEqual(sparse.result(), { bytes: Uint8Array.from([...Array<number>(10).fill(0), 0x7a]), holes: true });
  assert.deepEqual(createSftpUpload('/tmp/empty', 64).result(), { bytes: new Uint8Array(0), holes: false });
});

test('past 1024 separate runs the file is taken to have holes', () => {
  const upload = createSftpUpload('/tmp/z', 8192);
  for (let at = 0; at < 4096; at += 2) upload.write(at, Buffer.from('a'));
  for (let at = 1; at < 4096; at += 2) upload.write(at, Buffer.from('b'));
  const { bytes, holes } = upload.result();
  assert.equal(Buffer.from(bytes).toString(), 'ab'.repeat(2048));
  assert.equal(holes, true);
});

test('the same bytes and holes as a file written byte by byte', () => {
  const write = fc.record({ at: fc.integer({ min: 0, max: 200 }), data: fc.uint8Array({ maxLength: 30 }) });
  fc.assert(
    fc.property(fc.array(write, { maxLength: 40 }), (writes) => {
      const upload = createSftpUpload('/tmp/m', 256);
      const model: number[] = [];
      const covered: boolean[] = [];
      for (const { at, data } of writes) {
        upload.write(at, data);
        data.forEach((byte, i) => {
          model[at + i] = byte;
          covered[at + i] = true;
        });
      }
      const end = model.length;
      const { bytes, holes } = upload.result();
      assert.deepEqual([...bytes], Array.from({ length: end }, (_, i) => model[i] ?? 0));
      assert.equal(holes, Array.from({ length: end }, (_, i) => covered[i] === true).includes(false));
    }),
    { numRuns: 300 },
  );
});
