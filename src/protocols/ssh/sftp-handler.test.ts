// The SFTP handler without a network: limits (handles, file size, session budget) and status codes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCowVfs } from '../../shell/vfs/cow-vfs.ts';
import { RecordingEmitter } from '../../testing/recording-emitter.ts';
import { testTree } from '../../testing/shell-harness.ts';
import { createSftpHandler, FX, type SftpReply } from './sftp-handler.ts';

const WRITE_CREATE_TRUNC = 2 | 8 | 16;

function setup(limits = { maxFileBytes: 100, maxSessionWriteBytes: 150, maxOpenHandles: 2 }) {
  const recorder = new RecordingEmitter();
  const fs = createCowVfs(testTree(), { maxFileBytes: 1000, maxSessionWriteBytes: 1000, maxFiles: 100 }, { now: () => 0 });
  const handler = createSftpHandler({ fs, events: recorder, capture: recorder, limits, home: '/root' });
  const open = (path: string): Buffer => {
    const reply = handler.handle({ op: 'open', path, flags: WRITE_CREATE_TRUNC, attrs: {} });
    assert.equal(reply.kind, 'handle', JSON.stringify(reply));
    return reply.kind === 'handle' ? reply.handle : Buffer.alloc(0);
  };
  return { recorder, fs, handler, open };
}

const code = (reply: SftpReply): number | string => (reply.kind === 'status' ? reply.code : reply.kind);

test('a file past maxFileBytes is refused, not committed, and reported once as session.limit', () => {
  const { handler, open, recorder, fs } = setup();
  const h = open('/tmp/big');
  assert.equal(code(handler.handle({ op: 'write', handle: h, offset: 0, data: new Uint8Array(80) })), FX.OK);
  assert.equal(code(handler.handle({ op: 'write', handle: h, offset: 80, data: new Uint8Array(80) })), FX.FAILURE);
  assert.equal(code(handler.handle({ op: 'write', handle: h, offset: 160, data: new Uint8Array(10) })), FX.FAILURE);
  assert.equal(code(handler.handle({ op: 'close', handle: h })), FX.OK);
  assert.deepEqual(recorder.ofType('session.limit').map((l) => [l.limit, l.max]), [['file-size', 100]]);
  assert.equal(recorder.ofType('file.write').length, 0);
  assert.equal(fs.stat('/tmp/big')?.kind, 'file');
});

test('the session write budget spans files; open handles are bounded', () => {
  const { handler, open, recorder } = setup();
  const a = open('/tmp/a');
  assert.equal(code(handler.handle({ op: 'write', handle: a, offset: 0, data: new Uint8Array(90) })), FX.OK);
  assert.equal(code(handler.handle({ op: 'close', handle: a })), FX.OK);
  const b = open('/tmp/b');
  open('/tmp/c');
  assert.deepEqual(handler.handle({ op: 'open', path: '/tmp/d', flags: WRITE_CREATE_TRUNC, attrs: {} }), { kind: 'status', code: FX.FAILURE, message: 'Failure' });
  assert.equal(code(handler.handle({ op: 'write', handle: b, offset: 0, data: new Uint8Array(70) })), FX.FAILURE);
  assert.deepEqual(recorder.ofType('session.limit').map((l) => l.limit), ['session-files', 'capture-bytes']);
  assert.deepEqual(recorder.ofType('file.write').map((w) => [w.path, w.size, w.reason]), [['/tmp/a', 90, 'upload']]);
});

test('writing into a persona file changes this session only, never the shared tree', () => {
  const tree = testTree();
  const recorder = new RecordingEmitter();
  const fs = createCowVfs(tree, { maxFileBytes: 1000, maxSessionWriteBytes: 1000, maxFiles: 100 }, { now: () => 0 });
  const handler = createSftpHandler({ fs, events: recorder, capture: recorder, limits: { maxFileBytes: 1000, maxSessionWriteBytes: 1000, maxOpenHandles: 2 }, home: '/' });
  const before = Buffer.from((tree.get('/etc/hosts') as { data: Uint8Array }).data).toString();
  const h = handler.handle({ op: 'open', path: '/etc/hosts', flags: 2, attrs: {} });
  assert.equal(h.kind, 'handle');
  if (h.kind !== 'handle') return;
  handler.handle({ op: 'write', handle: h.handle, offset: 0, data: Buffer.from('6.6.6.6') });
  handler.handle({ op: 'close', handle: h.handle });
  assert.equal(Buffer.from((tree.get('/etc/hosts') as { data: Uint8Array }).data).toString(), before);
  assert.equal(Buffer.from(fs.readFile('/etc/hosts')).toString(), '6.6.6.6.1 localhost\n');
});

test('files still open when the session ends are committed and captured', () => {
  const { handler, open, recorder, fs } = setup();
  const h = open('rel.bin');
  handler.handle({ op: 'write', handle: h, offset: 3, data: new Uint8Array([1, 2]) });
  handler.close();
  assert.deepEqual([...fs.readFile('/root/rel.bin')], [0, 0, 0, 1, 2]);
  assert.equal(recorder.ofType('file.write')[0]?.path, '/root/rel.bin');
});

test('status codes follow sftp-server: missing, directory, existing rename target, readdir', () => {
  const { handler } = setup();
  assert.deepEqual(handler.handle({ op: 'stat', path: '/nope' }), { kind: 'status', code: FX.NO_SUCH_FILE, message: 'No such file' });
  assert.equal(code(handler.handle({ op: 'open', path: '/nope/x', flags: 1, attrs: {} })), FX.NO_SUCH_FILE);
  assert.equal(code(handler.handle({ op: 'open', path: '/etc', flags: 1, attrs: {} })), FX.FAILURE);
  assert.equal(code(handler.handle({ op: 'rename', from: '/etc/hosts', to: '/etc/passwd' })), FX.FAILURE);
  assert.equal(code(handler.handle({ op: 'rmdir', path: '/etc' })), FX.FAILURE);
  assert.deepEqual(handler.handle({ op: 'realpath', path: '.' }), { kind: 'name', names: [{ filename: '/root', longname: '/root', attrs: null }] });
  const dir = handler.handle({ op: 'opendir', path: '/etc' });
  assert.equal(dir.kind, 'handle');
  if (dir.kind !== 'handle') return;
  const names = handler.handle({ op: 'readdir', handle: dir.handle });
  const listed = names.kind === 'name' ? names.names.map((n) => n.filename) : [];
  assert.deepEqual([listed.slice(0, 2), listed.slice(2).sort()], [['.', '..'], ['hosts', 'passwd']]);
  assert.equal(code(handler.handle({ op: 'readdir', handle: dir.handle })), FX.EOF);
});
