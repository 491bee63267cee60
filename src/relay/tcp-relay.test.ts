// The raw TCP relay over in-memory streams: bytes both ways, capture calls in order, the events of
// a relayed session, an unreachable or closing device, the capture cap and the idle timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collect, createDuplexPair } from '../testing/duplex-pair.ts';
import { RecordingEmitter } from '../testing/recording-emitter.ts';
import { relayTcp, type CaptureSink, type PacketCapture, type TcpRelayContext } from './tcp-relay.ts';

const device = { name: 'cam-lab-1', product: 'XM IPC', firmware: 'V4.02', address: '10.0.0.50', port: 23 };

function fakeCapture(capBytes = Infinity): { packets: PacketCapture; sink: CaptureSink & { calls: string[]; bytes: number } } {
  const calls: string[] = [];
  const tag = (text: string): Uint8Array => new TextEncoder().encode(text);
  const packets: PacketCapture = {
    header: () => (calls.push('header'), tag('H')),
    open: () => (calls.push('open'), tag('O')),
    data: (from, bytes) => (calls.push(`${from}:${bytes.length}`), bytes),
    close: (_ts, by) => (calls.push(`close:${by}`), tag('C')),
  };
  const sink = {
    calls,
    bytes: 0,
    refused: false,
    append(bytes: Uint8Array) {
      if (this.refused || this.bytes + bytes.length > capBytes) return !(this.refused = true);
      this.bytes += bytes.length;
      return true;
    },
    async close() {
      return { path: 'captures/x.pcapng', bytes: this.bytes, truncated: this.refused };
    },
  };
  return { packets, sink };
}

function setup(overrides: Partial<TcpRelayContext> = {}) {
  const attacker = createDuplexPair();
  const deviceSide = createDuplexPair();
  const events = new RecordingEmitter();
  const capture = fakeCapture();
  const done = relayTcp(attacker.server, {
    device,
    events,
    connect: async () => deviceSide.client,
    capture,
    clock: { now: () => Date.now() },
    limits: { idleTimeoutMs: 5000, maxSessionMs: 60_000 },
    ...overrides,
  });
  return { attacker: attacker.client, device: deviceSide.server, events, capture, done };
}

test('bytes pass both ways, each chunk is captured with its side, and the session is told as events', async () => {
  const s = setup();
  const atDevice = collect(s.device);
  const atAttacker = collect(s.attacker);
  s.attacker.write('GET / HTTP/1.0\r\n\r\n');
  await atDevice.waitFor('\r\n\r\n');
  s.device.write('HTTP/1.0 200 OK\r\n\r\nhello');
  await atAttacker.waitFor('hello');
  s.attacker.end();
  s.device.end();
  await s.done;
  assert.deepEqual(s.capture.sink.calls, ['header', 'open', 'client:18', 'server:24', 'close:client']);
  assert.deepEqual(s.events.events.map((e) => e.type), ['session.connect', 'relay.open', 'relay.capture', 'session.close']);
  assert.deepEqual(s.events.ofType('relay.open')[0], { device: 'cam-lab-1', product: 'XM IPC', firmware: 'V4.02', deviceAddress: '10.0.0.50', devicePort: 23 });
  const close = s.events.ofType('session.close')[0]!;
  assert.deepEqual([close.bytesIn, close.bytesOut], [18, 24]);
  assert.equal(s.events.ofType('relay.capture')[0]?.path, 'captures/x.pcapng');
});

test('a device that cannot be reached: relay.device-error and a clean close', async () => {
  const s = setup({ connect: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.0.0.50:23'), { code: 'ECONNREFUSED' })) });
  await s.done;
  assert.deepEqual(s.events.ofType('relay.device-error'), [{ device: 'cam-lab-1', stage: 'connect', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.50:23' }]);
  assert.equal(s.events.ofType('session.close')[0]?.reason, 'device-unreachable');
  assert.equal(s.capture.sink.calls.length, 0);
});

test('the device hanging up ends the session as device-closed', async () => {
  const s = setup();
  s.device.write('bye');
  s.device.destroy();
  await s.done;
  assert.equal(s.events.ofType('session.close')[0]?.reason, 'device-closed');
});

test('past the capture cap the relay goes on and says so', async () => {
  const capture = fakeCapture(1000);
  const s = setup({ capture });
  const atDevice = collect(s.device);
  s.attacker.write(Buffer.alloc(3000, 0x41));
  await atDevice.waitFor(/A{3000}/);
  s.attacker.destroy();
  await s.done;
  assert.equal(s.events.ofType('session.limit')[0]?.limit, 'capture-bytes');
  assert.equal(s.events.ofType('relay.capture')[0]?.truncated, true);
  assert.equal(s.events.ofType('session.close')[0]?.bytesIn, 3000);
});

test('a large transfer passes intact with backpressure', async () => {
  const s = setup({ capture: null });
  const payload = Buffer.alloc(8 * 1024 * 1024);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 31) & 255;
  const received: Buffer[] = [];
  s.device.on('data', (c: Buffer) => received.push(c));
  const ended = new Promise((resolve) => s.device.on('end', resolve));
  s.attacker.end(payload);
  await ended;
  assert.ok(Buffer.concat(received).equals(payload));
  s.device.end();
  await s.done;
});

test('an idle session is closed by the idle timeout', async () => {
  const s = setup({ limits: { idleTimeoutMs: 100, maxSessionMs: 60_000 } });
  await s.done;
  assert.equal(s.events.ofType('session.close')[0]?.reason, 'idle-timeout');
});

test('a tap that throws loses only its own observations; bytes and the session go on', async () => {
  let calls = 0;
  const s = setup({
    tap: {
      client: () => {
        calls += 1;
        throw new Error('observer bug');
      },
      server: () => undefined,
      end: () => undefined,
    },
  });
  const atDevice = collect(s.device);
  s.attacker.write('one');
  await atDevice.waitFor('one');
  s.attacker.write('two');
  await atDevice.waitFor('onetwo');
  s.attacker.end();
  s.device.end();
  await s.done;
  assert.equal(calls, 1, 'a broken tap is not called again');
  assert.equal(s.events.ofType('session.close')[0]?.bytesIn, 6);
});

test('a device that resets a real socket mid-session is reported with its errno', async () => {
  const { createServer, connect } = await import('node:net');
  const deviceServer = createServer((socket) => {
    socket.write('hello');
    setTimeout(() => socket.resetAndDestroy(), 50);
  });
  await new Promise<void>((resolve) => deviceServer.listen(0, '127.0.0.1', resolve));
  const address = deviceServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const s = setup({
    connect: () =>
      new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => resolve(socket));
        socket.once('error', reject);
      }),
  });
  await collect(s.attacker).waitFor('hello');
  await s.done;
  deviceServer.close();
  assert.deepEqual(s.events.ofType('relay.device-error').map((e) => [e.stage, e.code]), [['transfer', 'ECONNRESET']]);
  assert.equal(s.events.ofType('session.close')[0]?.reason, 'error');
});
