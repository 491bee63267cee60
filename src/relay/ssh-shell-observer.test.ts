// The SSH shell observer: typed lines with editing become commands, echoed output is split per command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createShellObserver, type ShellObservation } from './ssh-shell-observer.ts';

const limits = { maxLineBytes: 1024, maxOutputBytes: 4096 };

test('commands and their output, motd and prompt left out', () => {
  const o = createShellObserver(limits);
  const seen: ShellObservation[] = [];
  seen.push(...o.fromDevice(Buffer.from('Welcome to the device\r\n~ # ')));
  seen.push(...o.fromClient(Buffer.from('ech\x7fho hi\r')));
  seen.push(...o.fromDevice(Buffer.from('echo hi\r\nhi\r\n~ # ')));
  seen.push(...o.fromClient(Buffer.from('uname\r')));
  seen.push(...o.fromDevice(Buffer.from('uname\r\nLinux\r\n~ # ')));
  seen.push(...o.fromClient(Buffer.from('exit\r')));
  seen.push(...o.end());
  assert.deepEqual(seen, [
    { kind: 'command', line: 'echo hi' },
    { kind: 'output', command: 'echo hi', text: 'hi\r\n', truncated: false },
    { kind: 'command', line: 'uname' },
    { kind: 'output', command: 'uname', text: 'Linux\r\n', truncated: false },
    { kind: 'command', line: 'exit' },
    { kind: 'output', command: 'exit', text: '', truncated: false },
  ]);
});

test('output past the limit is cut and said so; any bytes never throw', () => {
  const o = createShellObserver({ maxLineBytes: 64, maxOutputBytes: 1024 });
  o.fromClient(Buffer.from('cat big\n'));
  o.fromDevice(Buffer.alloc(5000, 0x41));
  const [output] = o.end();
  assert.equal(output?.kind === 'output' && output.truncated, true);
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 200 })), { maxLength: 10 }), (steps) => {
      const s = createShellObserver({ maxLineBytes: 64, maxOutputBytes: 1024 });
      for (const [client, bytes] of steps) (client ? s.fromClient(bytes) : s.fromDevice(bytes)).forEach((e) => assert.ok(e.kind === 'command' || e.text.length <= 1024 * 3));
      s.end();
    }),
    { numRuns: 200 },
  );
});
