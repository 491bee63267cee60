// The SCP sink reader: files and directories from any chunking, limits, garbage never throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createScpSink, scpSinkTarget, type ScpUpload } from './scp-sink.ts';

const limits = { maxFileBytes: 1024, maxTotalBytes: 4096 };

function feed(stream: Buffer, target: string, directory: boolean, cuts: number[] = []): ScpUpload[] {
  const sink = createScpSink({ target, directory, ...limits });
  const out: ScpUpload[] = [];
  let last = 0;
  for (const point of [...new Set(cuts)].sort((a, b) => a - b).concat(stream.length)) {
    out.push(...sink.push(stream.subarray(last, point)));
    last = point;
  }
  return out;
}

test('the sink target of scp commands', () => {
  assert.deepEqual(scpSinkTarget('scp -t /tmp/x'), { target: '/tmp/x', directory: false });
  assert.deepEqual(scpSinkTarget('scp -v -r -t -- /tmp'), { target: '/tmp', directory: true });
  assert.deepEqual(scpSinkTarget('/usr/bin/scp -pt .'), { target: '.', directory: false });
  assert.equal(scpSinkTarget('scp -f /etc/passwd'), null);
  assert.equal(scpSinkTarget('echo scp -t x'), null);
});

test('a file, with times, in any chunking', () => {
  const body = Buffer.from('#!/bin/sh\necho pwned\n');
  const stream = Buffer.concat([Buffer.from('T1700000000 0 1700000000 0\n'), Buffer.from(`C0755 ${body.length} bot.sh\n`), body, Buffer.from([0])]);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 5 }), (cuts) => {
      const out = feed(stream, '/tmp', false, cuts);
      assert.equal(out.length, 1);
      const file = out[0]!;
      assert.equal(file.kind, 'file');
      if (file.kind === 'file') {
        assert.equal(file.path, '/tmp/bot.sh');
        assert.equal(file.mode, '0755');
        assert.deepEqual(Buffer.from(file.bytes), body);
      }
    }),
  );
  assert.equal((feed(stream, '/tmp/bot.sh', false)[0] as { path: string }).path, '/tmp/bot.sh');
});

test('directories (scp -r) and files over the limit', () => {
  const stream = Buffer.concat([
    Buffer.from('D0755 0 kit\nC0644 2 a\nhi\0D0700 0 sub\nC0644 0 empty\n\0E\n'),
    Buffer.from(`C0644 2000 big\n`),
    Buffer.alloc(2000, 0x41),
    Buffer.from('\0E\nC0644 1 after\nz\0'),
  ]);
  const out = feed(stream, '/tmp', true);
  assert.deepEqual(
    out.map((u) => [u.kind, u.path]),
    [
      ['file', '/tmp/kit/a'],
      ['file', '/tmp/kit/sub/empty'],
      ['too-large', '/tmp/kit/big'],
      ['file', '/tmp/after'],
    ],
  );
});

test('names with a slash or garbage break the reading without throwing', () => {
  const sink = createScpSink({ target: '/tmp', directory: true, ...limits });
  assert.deepEqual(sink.push(Buffer.from('C0644 1 ../etc/x\nz\0')), []);
  assert.equal(sink.broken, true);
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }), (chunks) => {
      const s = createScpSink({ target: '.', directory: false, ...limits });
      let kept = 0;
      for (const chunk of chunks) for (const u of s.push(chunk)) if (u.kind === 'file') kept += u.bytes.length;
      assert.ok(kept <= limits.maxTotalBytes);
    }),
    { numRuns: 300 },
  );
});
