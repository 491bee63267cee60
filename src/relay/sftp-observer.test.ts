// The SFTP observer: uploads put together by offset, changes with the device's answer, limits, and
// hostile streams (garbage, cut packets, any chunking) that never throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createSftpObserver, type SftpObservation } from './sftp-observer.ts';
import { close, init, ok, open, packet, str, u32, write, WRITE_CREAT_TRUNC, type Message } from '../testing/sftp-messages.ts';

const limits = { maxFileBytes: 4096, maxTotalBytes: 8192, maxHandles: 2 };

function run(messages: readonly Message[], cuts: readonly number[] = []): SftpObservation[] {
  const o = createSftpObserver(limits);
  const out: SftpObservation[] = [];
  // Messages of one direction in a row are one run of bytes, cut anywhere.
  const runs: Message[] = [];
  for (const [dir, bytes] of messages) {
    const last = runs.at(-1);
    if (last && last[0] === dir) runs[runs.length - 1] = [dir, Buffer.concat([last[1], bytes])];
    else runs.push([dir, bytes]);
  }
  let cut = 0;
  for (const [dir, bytes] of runs) {
    let at = 0;
    while (at < bytes.length) {
      const step = Math.max(1, cuts.length ? (cuts[cut++ % cuts.length] ?? 1) : bytes.length);
      const chunk = bytes.subarray(at, at + step);
      at += step;
      out.push(...(dir === 'c' ? o.fromClient(chunk) : o.fromDevice(chunk)));
    }
  }
  return [...out, ...o.end()];
}

const files = (seen: readonly SftpObservation[]): { path: string; text: string; holes: boolean; closed: boolean }[] =>
  seen.flatMap((o) => (o.kind === 'file' ? [{ path: o.path, text: Buffer.from(o.bytes).toString('latin1'), holes: o.holes, closed: o.closed }] : []));

const upload: Message[] = [
  ...init,
  ...open(1, '/tmp/bot.sh', WRITE_CREAT_TRUNC, 'h0'),
  write(2, 'h0', 0, Buffer.from('#!/bin/sh\n')),
  write(3, 'h0', 10, Buffer.from('echo pwned\n')),
  ok(2),
  ok(3),
  ...close(4, 'h0'),
  ['c', packet(9, u32(5), str('/tmp/bot.sh'), u32(4), u32(0o100755))],
  ok(5),
  ['c', packet(18, u32(6), str('/tmp/bot.sh'), str('/tmp/.x'))],
  ['d', packet(101, u32(6), u32(4), str('Failure'), str(''))],
  ['c', packet(13, u32(7), str('/tmp/old'))],
  ['c', packet(200, u32(8), str('posix-rename@openssh.com'), str('/a'), str('/b'))],
  ['c', packet(14, u32(9), str('/tmp/kit'), u32(4), u32(0o755))],
  ['c', packet(200, u32(10), str('constructor'), str('/a'), str('/b'))],
  ['d', packet(201, u32(10))],
  ok(7),
];

test('an upload, a chmod, a refused rename and unanswered requests', () => {
  const seen = run(upload);
  assert.deepEqual(files(seen), [{ path: '/tmp/bot.sh', text: '#!/bin/sh\necho pwned\n', holes: false, closed: true }]);
  assert.deepEqual(
    seen.flatMap((o) => (o.kind === 'request' ? [[o.op, o.detail, o.accepted]] : [])),
    [
      ['open', '/tmp/bot.sh write,creat,trunc', true],
      ['setstat', '/tmp/bot.sh mode=0755', true],
      ['rename', '/tmp/bot.sh -> /tmp/.x', false],
      ['remove', '/tmp/old', true],
      ['rename', '/a -> /b', false],
      ['mkdir', '/tmp/kit mode=0755', false],
    ],
  );
});

test('the same observations whatever the chunking', () => {
  const whole = run(upload);
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }), (cuts) => assert.deepEqual(run(upload, cuts), whole)));
});

test('out of order, overlapping and sparse writes; a file left open; a refused open', () => {
  const seen = run([
    ...open(1, '/tmp/a', WRITE_CREAT_TRUNC, 'A'),
    write(2, 'A', 4, Buffer.from('EFGH')),
    write(3, 'A', 0, Buffer.from('abcdX')),
    ...close(4, 'A'),
    ...open(5, '/tmp/sparse', WRITE_CREAT_TRUNC, 'B'),
    write(6, 'B', 4, Buffer.from('zz')),
    ...close(7, 'B'),
    ...open(8, '/tmp/cut', WRITE_CREAT_TRUNC, 'C'),
    write(9, 'C', 0, Buffer.from('part')),
    ...open(10, '/nope/x', WRITE_CREAT_TRUNC, null),
    write(11, 'D', 0, Buffer.from('no handle')),
  ]);
  assert.deepEqual(files(seen), [
    { path: '/tmp/a', text: 'abcdXFGH', holes: false, closed: true },
    { path: '/tmp/sparse', text: '\0\0\0\0zz', holes: true, closed: true },
    { path: '/tmp/cut', text: 'part', holes: false, closed: false },
  ]);
  assert.ok(seen.some((o) => o.kind === 'request' && o.detail === '/nope/x write,creat,trunc' && !o.accepted));
});

test('limits: file size, session total, open handles', () => {
  const big = run([...open(1, '/tmp/big', WRITE_CREAT_TRUNC, 'A'), write(2, 'A', 0, Buffer.alloc(3000)), write(3, 'A', 3000, Buffer.alloc(3000)), ...close(4, 'A')]);
  assert.deepEqual(files(big), []);
  assert.deepEqual(big.find((o) => o.kind === 'too-large'), { kind: 'too-large', path: '/tmp/big', size: 6000, max: 4096 });
  const far = run([...open(1, '/tmp/far', WRITE_CREAT_TRUNC, 'A'), write(2, 'A', 2 ** 60, Buffer.from('x')), ...close(3, 'A')]);
  assert.equal(far.find((o) => o.kind === 'too-large')?.path, '/tmp/far');

  const many: Message[] = [];
  for (let i = 0; i < 3; i++) many.push(...open(i, `/tmp/f${i}`, WRITE_CREAT_TRUNC, `H${i}`), write(10 + i, `H${i}`, 0, Buffer.alloc(4000, 0x41)));
  for (let i = 0; i < 3; i++) many.push(...close(20 + i, `H${i}`));
  const seen = run(many);
  assert.deepEqual(files(seen).map((f) => f.path), ['/tmp/f0', '/tmp/f1']);
  assert.deepEqual(seen.filter((o) => o.kind === 'limit').length, 1);

  const total = run([0, 1, 2].flatMap((i) => [...open(i, `/tmp/t${i}`, WRITE_CREAT_TRUNC, 'A'), write(10 + i, 'A', 0, Buffer.alloc(4000)), ...close(20 + i, 'A')]));
  assert.deepEqual(files(total).map((f) => f.path), ['/tmp/t0', '/tmp/t1']);
  assert.equal(total.find((o) => o.kind === 'too-large')?.path, '/tmp/t2');
});

test('cut packets are skipped, a huge or zero length stops the reading', () => {
  const o = createSftpObserver(limits);
  o.fromDevice(packet(102, u32(1)));
  assert.deepEqual(o.fromClient(Buffer.concat([packet(13, u32(1)), packet(13, u32(2), u32(99)), packet(6, u32(3))])), []);
  o.fromClient(Buffer.concat([u32(0x7fffffff), packet(13, u32(4), str('/x'))]));
  assert.deepEqual(o.fromDevice(packet(101, u32(4), u32(0))), []);
  assert.deepEqual(o.end(), []);
});

test('garbage and random packets never throw and keep memory within the limits', () => {
  const anyPacket = fc.tuple(fc.constantFrom(1, 2, 3, 4, 6, 9, 10, 13, 14, 18, 20, 101, 102, 200, 255), fc.uint8Array({ maxLength: 64 })).map(([type, body]) => packet(type, Buffer.from(body)));
  const chunk = fc.oneof(fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)), anyPacket);
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), chunk), { maxLength: 30 }), (chunks) => {
      const o = createSftpObserver(limits);
      const seen: SftpObservation[] = [];
      for (const [fromClient, bytes] of chunks) seen.push(...(fromClient ? o.fromClient(bytes) : o.fromDevice(bytes)));
      seen.push(...o.end());
      const kept = seen.reduce((sum, s) => sum + (s.kind === 'file' ? s.bytes.length : 0), 0);
      assert.ok(kept <= limits.maxTotalBytes);
    }),
    { numRuns: 300 },
  );
});
