// Property tests: hostile SFTP request sequences, garbage SFTP packets on a live channel and garbage
// scp streams never throw, never pass the limits and never take the server down.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import fc from 'fast-check';
import ssh2 from 'ssh2';
import { createCowVfs } from '../../shell/vfs/cow-vfs.ts';
import { RecordingEmitter } from '../../testing/recording-emitter.ts';
import { testTree } from '../../testing/shell-harness.ts';
import { startTransferServer } from '../../testing/ssh-transfer-harness.ts';
import { serveScp } from './scp-server.ts';
import { createSftpHandler, type SftpRequest } from './sftp-handler.ts';
import type { TransferOptions } from './transfer-fs.ts';

const limits = { maxFileBytes: 4096, maxSessionWriteBytes: 16_384, maxOpenHandles: 4 };
const options = (): TransferOptions & { recorder: RecordingEmitter } => {
  const recorder = new RecordingEmitter();
  const fs = createCowVfs(testTree(), { maxFileBytes: limits.maxFileBytes, maxSessionWriteBytes: limits.maxSessionWriteBytes, maxFiles: 200 }, { now: () => 0 });
  return { fs, events: recorder, capture: recorder, limits, home: '/root', recorder };
};

const path = fc.oneof(fc.constantFrom('/tmp/a', '/tmp', '/etc/passwd', '/', '..', '', '/bin/sh', '/dev/null', '/tmp/d/x', 'rel'), fc.string({ maxLength: 20 }));
const handle = fc.oneof(fc.integer({ min: 0, max: 6 }).map((n) => Buffer.from([0, 0, 0, n])), fc.uint8Array({ maxLength: 6 }).map((b) => Buffer.from(b)));
const attrs = fc.record({ mode: fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }), size: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }) });
const request: fc.Arbitrary<SftpRequest> = fc.oneof(
  fc.record({ op: fc.constant('open' as const), path, flags: fc.integer({ min: 0, max: 63 }), attrs }),
  fc.record({ op: fc.constantFrom('close' as const, 'fstat' as const, 'readdir' as const), handle }),
  fc.record({ op: fc.constant('read' as const), handle, offset: fc.oneof(fc.nat(10_000), fc.constant(2 ** 60)), length: fc.nat(1 << 20) }),
  fc.record({ op: fc.constant('write' as const), handle, offset: fc.oneof(fc.nat(6000), fc.constant(2 ** 60)), data: fc.uint8Array({ maxLength: 3000 }) }),
  fc.record({ op: fc.constant('fsetstat' as const), handle, attrs }),
  fc.record({ op: fc.constantFrom('setstat' as const, 'mkdir' as const), path, attrs }),
  fc.record({ op: fc.constantFrom('opendir' as const, 'stat' as const, 'lstat' as const, 'remove' as const, 'rmdir' as const, 'realpath' as const, 'readlink' as const), path }),
  fc.record({ op: fc.constantFrom('rename' as const, 'symlink' as const), from: path, to: path }),
);

test('any sequence of SFTP requests is answered without throwing and within the limits', () => {
  fc.assert(
    fc.property(fc.array(request, { minLength: 5, maxLength: 40 }), (requests) => {
      const o = options();
      const handler = createSftpHandler(o);
      for (const r of requests) handler.handle(r);
      handler.close();
      for (const w of o.recorder.ofType('file.write')) assert.ok(w.size <= limits.maxFileBytes);
      const total = o.recorder.ofType('file.write').reduce((sum, w) => sum + w.size, 0);
      assert.ok(total <= limits.maxSessionWriteBytes, `${total}`);
    }),
    { numRuns: 300 },
  );
});

test('garbage scp streams end scp with a status, never a throw or a hang', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('scp -t /tmp', 'scp -r -t /tmp', 'scp -f /etc/passwd', 'scp -r -f /'), fc.array(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.constantFrom('C0644 5 a\n', 'D0755 0 d\n', 'E\n', '\0', 'T1 0 1 0\n', 'C0644 99999999 big\n').map((s) => Buffer.from(s))), { maxLength: 12 }), async (command, chunks) => {
      let sent = 0;
      const channel = Object.assign(new Readable({ read: () => undefined }), { write: (b: string | Uint8Array) => void (sent += b.length) });
      const run = serveScp(command, channel, options());
      assert.ok(run);
      for (const c of chunks) channel.push(c);
      channel.push(null);
      const code = await run;
      assert.ok(code === 0 || code === 1);
      // The sink speaks first (its ready NUL); the source waits for the client's.
      if (command.includes('-t')) assert.ok(sent > 0, 'scp -t sends its first acknowledgement');
    }),
    { numRuns: 150 },
  );
});

test('garbage SFTP packets on a live channel close that channel, never the connection', async () => {
  const server = await startTransferServer();
  const client = new ssh2.Client();
  let connectionClosed = false;
  client.on('close', () => (connectionClosed = true));
  await new Promise<void>((resolve, reject) => client.on('ready', resolve).on('error', reject).connect({ host: '127.0.0.1', port: server.port, username: 'root', password: 'x' }));
  const header = fc.oneof(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.constant(Uint8Array.from([0x80, 0, 0, 0])), fc.constant(Uint8Array.from([0, 0, 0, 1])));
  const chunk = fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 80 }), fc.tuple(header, fc.integer({ min: 1, max: 20 }), fc.uint8Array({ maxLength: 40 })).map(([h, type, body]) => Buffer.concat([h, Buffer.from([type]), body])));
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(chunk, { minLength: 1, maxLength: 6 }), fc.boolean(), async (chunks, init) => {
        const stream = await new Promise<ssh2.ClientChannel>((resolve, reject) => client.subsys('sftp', (err, s) => (err ? reject(err) : resolve(s))));
        stream.on('data', () => undefined);
        // Mostly a valid INIT first, so garbage reaches the request parsers.
        if (init) stream.write(Buffer.from([0, 0, 0, 5, 1, 0, 0, 0, 3]));
        for (const c of chunks) stream.write(c);
        stream.end();
        await new Promise<void>((resolve) => {
          const done = (): void => {
            client.off('close', done);
            resolve();
          };
          stream.on('close', done);
          client.on('close', done);
        });
        assert.equal(connectionClosed, false);
      }),
      { numRuns: 25 },
    );
    const list = await new Promise<string[]>((resolve, reject) =>
      client.sftp((err, sftp) => (err ? reject(err) : sftp.readdir('/etc', (e, names) => (e ? reject(e) : resolve(names.map((n) => n.filename).sort()))))),
    );
    assert.deepEqual(list, ['hosts', 'passwd']);
  } finally {
    client.end();
    await server.close();
  }
});
