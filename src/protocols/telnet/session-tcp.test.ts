// The same session over a real loopback TCP socket (net.Socket ends and closes differently).
import { FakeDownloads } from '../../testing/fake-downloads.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { handleTelnet, defaultTelnetLimits } from './session.ts';
import { busyboxPersona, FakeShells, MemoryRecording } from '../../testing/telnet-harness.ts';
import { RecordingEmitter } from '../../testing/recording-emitter.ts';

test('a bot over TCP: pipelined login and commands, then FIN; the socket closes and events are complete', async () => {
  const events = new RecordingEmitter();
  const shells = new FakeShells();
  const persona = busyboxPersona();
  const sessions: Promise<void>[] = [];
  const server = createServer((socket) => {
    sessions.push(
      handleTelnet(socket, {
        persona,
        events,
        shells,
        auth: ({ username, password }) => username === 'root' && password === 'xmhdipc',
        capture: events,
        downloads: new FakeDownloads(),
        recording: new MemoryRecording(),
        clock: { now: () => Date.now() },
        limits: defaultTelnetLimits,
      }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const received: Buffer[] = [];
  client.on('data', (d: Buffer) => received.push(d));
  await once(client, 'connect');
  client.write('root\r\nxmhdipc\r\necho hello\r\n');
  await new Promise((r) => setTimeout(r, 50));
  client.end('exit\r\n');
  await once(client, 'close');
  await Promise.all(sessions);
  server.close();
  const text = Buffer.concat(received).toString('latin1');
  assert.ok(text.startsWith('\xff\xfd\x01\xff\xfd\x1f\xff\xfb\x01\xff\xfb\x03\r\r\nvm login: root\r\nPassword: \r\n$ echo hello\r\nhello\r\n$ '), JSON.stringify(text));
  assert.deepEqual(shells.lines, ['echo hello', 'exit']);
  assert.deepEqual(events.ofType('session.close').map((c) => c.reason), ['exit']);
});
