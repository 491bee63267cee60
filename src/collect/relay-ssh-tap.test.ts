// The relayed-SSH tap on an sftp channel: closed uploads are stored as 'upload', files left open
// as 'session-end', oversized ones told as session.limit, SFTP changes as ssh.request sftp-<op>.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordingEmitter } from '../testing/recording-emitter.ts';
import { close, init, ok, open, packet, str, u32, write, WRITE_CREAT_TRUNC, type Message } from '../testing/sftp-messages.ts';
import { createRelaySshTap } from './relay-ssh-tap.ts';

const shadow = { command: () => undefined, close: () => Promise.resolve() };

function feed(messages: readonly Message[], limits = { maxLineBytes: 1024, maxOutputBytes: 1024, maxFileBytes: 64, maxSessionWriteBytes: 1024 }): RecordingEmitter {
  const events = new RecordingEmitter();
  const tap = createRelaySshTap(events, shadow, events, limits);
  const channel = tap.channel('subsystem', 'sftp');
  for (const [dir, bytes] of messages) {
    if (dir === 'c') channel.input(bytes);
    else {
      // What sftp-server says on stderr is not part of the SFTP stream.
      channel.output(Buffer.from('\0\0\0\x05warn\n'), 'stderr');
      channel.output(bytes, 'stdout');
    }
  }
  channel.close();
  tap.end();
  return events;
}

test('uploads over sftp are stored; changes become ssh.request events', () => {
  const events = feed([
    ...init,
    ...open(1, '/tmp/x.sh', WRITE_CREAT_TRUNC, 'h'),
    write(2, 'h', 0, Buffer.from('#!/bin/sh\n')),
    ok(2),
    ...close(3, 'h'),
    ['c', packet(13, u32(4), str('/tmp/y'))],
    ['d', packet(101, u32(4), u32(2), str('No such file'), str(''))],
    ...open(5, '/tmp/big', WRITE_CREAT_TRUNC, 'h'),
    write(6, 'h', 0, Buffer.alloc(100)),
    ...close(7, 'h'),
    ...open(8, '/tmp/cut', WRITE_CREAT_TRUNC, 'k'),
    write(9, 'k', 0, Buffer.from('half')),
  ]);
  assert.deepEqual(events.captured.map((c) => [c.path, Buffer.from(c.bytes).toString(), c.reason]), [
    ['/tmp/x.sh', '#!/bin/sh\n', 'upload'],
    ['/tmp/cut', 'half', 'session-end'],
  ]);
  assert.deepEqual(events.ofType('session.limit').map((l) => [l.limit, l.max]), [['file-size', 64]]);
  assert.deepEqual(
    events.ofType('ssh.request').map((r) => [r.request, r.detail, r.accepted]),
    [
      ['sftp-open', '/tmp/x.sh write,creat,trunc', true],
      ['sftp-remove', '/tmp/y', false],
      ['sftp-open', '/tmp/big write,creat,trunc', true],
      ['sftp-open', '/tmp/cut write,creat,trunc', true],
    ],
  );
});

test('other subsystems are relayed without being read', () => {
  const events = new RecordingEmitter();
  const tap = createRelaySshTap(events, shadow, events, { maxLineBytes: 1024, maxOutputBytes: 1024, maxFileBytes: 64, maxSessionWriteBytes: 1024 });
  const channel = tap.channel('subsystem', 'netconf');
  channel.input(Buffer.concat(open(1, '/x', WRITE_CREAT_TRUNC, 'h').map(([, b]) => b)));
  channel.close();
  assert.deepEqual(events.events, []);
});
