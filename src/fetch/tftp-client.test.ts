// TFTP client against Debian's tftpd-hpa on 127.0.0.1, and fault servers for what a real one never does
// (endless, silent, stray TIDs, duplicates, malformed packets, block-number wraparound).
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import type { RemoteInfo, Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { hasTftpd, startTftpd } from '../testing/transfer-servers.ts';
import { decodePacket, encodeData, encodeError, encodeOack } from './tftp-codec.ts';
import type { TftpPacket } from './tftp-codec.ts';
import { tftpGet } from './tftp-client.ts';
import type { TransferLimits, TransferResult, TransferTarget } from './transfer.ts';

const limits: TransferLimits = { maxBytes: 1_000_000, timeoutMs: 3000, stallMs: 400 };

function pattern(size: number, seed = 7): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) & 0xff);
}

/** The client's socket is gone once tftpGet resolves (libuv needs one more turn to drop the handle). */
async function get(target: TransferTarget, file: string, use: TransferLimits = limits, options = {}, signal?: AbortSignal): Promise<TransferResult> {
  await sleep(2);
  const before = udpHandles();
  const result = await tftpGet(target, file, use, signal, options);
  await sleep(2);
  assert.equal(udpHandles(), before, 'the client socket is closed');
  return result;
}

function udpHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'UDPWrap').length;
}

type Reply = (packet: Uint8Array, port?: number) => void;
interface Fake {
  readonly target: TransferTarget;
  readonly seen: TftpPacket[];
  readonly socket: Socket;
}

/** A UDP server on 127.0.0.1 (or ::1) that hands every decoded packet to `onPacket`. */
async function fake(t: TestContext, onPacket: (packet: TftpPacket, reply: Reply, from: RemoteInfo) => void, address = '127.0.0.1'): Promise<Fake> {
  const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  let open = true; // delayed replies may fire after the test closed the socket
  t.after(() => {
    open = false;
    return new Promise<void>((resolve) => socket.close(() => resolve()));
  });
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  const seen: TftpPacket[] = [];
  socket.on('message', (message, from) => {
    const packet = decodePacket(message);
    seen.push(packet);
    onPacket(packet, (bytes, port = from.port) => open && socket.send(bytes, port, from.address), from);
  });
  return { target: { address, port: socket.address().port }, seen, socket };
}

/** Serves `content` in lock-step the RFC way, one block per ACK. */
function serve(content: Uint8Array, blockSize = 512): (packet: TftpPacket, reply: Reply) => void {
  const send = (block: number, reply: Reply): void => reply(encodeData(block & 0xffff, content.subarray((block - 1) * blockSize, block * blockSize)));
  return (packet, reply) => {
    if (packet.kind === 'rrq') send(1, reply);
    if (packet.kind === 'ack' && packet.block * blockSize <= content.length) send(packet.block + 1, reply);
  };
}

test('tftpd-hpa: files of 0, 511, 512, 513 and 100 KB arrive whole; a missing file is error 1', { skip: !hasTftpd }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hachi-tftp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const server = await startTftpd(dir);
  t.after(() => server.stop());
  const target = { address: '127.0.0.1', port: server.port };
  for (const size of [0, 511, 512, 513, 102_400]) {
    const content = pattern(size, size);
    writeFileSync(join(dir, `f${size}`), content);
    const result = await get(target, `f${size}`);
    assert.equal(result.outcome, 'ok', result.detail);
    assert.equal(result.status, null);
    assert.equal(result.bytes, size);
    assert.deepEqual(Buffer.from(result.body ?? []), Buffer.from(content));
    assert.match(result.detail, new RegExp(`${size} bytes in ${Math.floor(size / 512) + 1} blocks`));
  }
  // RFC 2348/2349: a bigger block size, and the announced size checked before any data.
  const big = await get(target, 'f102400', limits, { blockSize: 1428 });
  assert.equal(big.outcome, 'ok', big.detail);
  assert.deepEqual(Buffer.from(big.body ?? []), Buffer.from(pattern(102_400, 102_400)));
  assert.match(big.detail, /in 72 blocks/);
  const announced = await get(target, 'f102400', { ...limits, maxBytes: 1000 }, { blockSize: 1024 });
  assert.equal(announced.outcome, 'too-large');
  assert.equal(announced.bytes, 0);
  const cut = await get(target, 'f102400', { ...limits, maxBytes: 50_000 });
  assert.equal(cut.outcome, 'too-large');
  assert.equal(cut.body?.length, 50_000);
  assert.equal(cut.bytes, 50_176); // 98 blocks arrived; the 98th crossed the limit
  assert.deepEqual(Buffer.from(cut.body ?? []), Buffer.from(pattern(102_400, 102_400).subarray(0, 50_000)));

  const missing = await get(target, 'no-such-file');
  assert.deepEqual({ outcome: missing.outcome, status: missing.status, body: missing.body, bytes: missing.bytes }, { outcome: 'server-error', status: '1', body: null, bytes: 0 });
  assert.match(missing.detail, /File not found/);
});

test('a server that never ends is cut at maxBytes, or at the overall timeout, and told to stop', async (t) => {
  const endless = await fake(t, (packet, reply) => {
    if (packet.kind === 'rrq') reply(encodeData(1, pattern(512)));
    if (packet.kind === 'ack') reply(encodeData((packet.block + 1) & 0xffff, pattern(512)));
  });
  const cut = await get(endless.target, 'x', { ...limits, maxBytes: 10_000 });
  assert.equal(cut.outcome, 'too-large');
  assert.equal(cut.body?.length, 10_000);
  await sleep(20);
  assert.deepEqual(endless.seen.at(-1), { kind: 'error', code: 3, message: 'file too large' });

  // Slow but endless: one block every 30 ms never trips the stall limit, so the overall limit ends it.
  const slow = await fake(t, (packet, reply) => {
    const next = packet.kind === 'rrq' ? 1 : packet.kind === 'ack' ? packet.block + 1 : 0;
    if (next > 0) setTimeout(() => reply(encodeData(next & 0xffff, pattern(512))), 30);
  });
  const started = Date.now();
  const timedOut = await get(slow.target, 'x', { maxBytes: 1_000_000, timeoutMs: 300, stallMs: 200 });
  assert.equal(timedOut.outcome, 'timeout');
  assert.equal(timedOut.body, null);
  assert.ok(timedOut.bytes > 0 && timedOut.bytes <= 10 * 512, String(timedOut.bytes));
  assert.ok(Date.now() - started < 2000); // generous: the machine is shared
});

test('a server that never answers: the RRQ is resent a bounded number of times, then stalled', async (t) => {
  const silent = await fake(t, () => {});
  const result = await get(silent.target, 'x', { maxBytes: 1000, timeoutMs: 2000, stallMs: 300 }, { retransmitMs: 40, maxRetransmits: 3 });
  assert.equal(result.outcome, 'stalled');
  assert.match(result.detail, /no answer to the request for 300 ms/);
  // The RRQ and at most three resends (fewer only if a loaded machine delays the timers past the stall).
  assert.ok(silent.seen.length >= 2 && silent.seen.length <= 4, String(silent.seen.length));
  assert.ok(silent.seen.every((packet) => packet.kind === 'rrq'));
});

test('a lost ACK: the client resends it and the transfer completes', async (t) => {
  const content = pattern(1300);
  let dropped = false;
  const lossy = await fake(t, (packet, reply) => {
    if (packet.kind === 'ack' && packet.block === 1 && !dropped) {
      dropped = true; // as if this ACK never arrived
      return;
    }
    serve(content)(packet, reply);
  });
  const result = await get(lossy.target, 'x', limits, { retransmitMs: 30 });
  assert.equal(result.outcome, 'ok', result.detail);
  assert.deepEqual(Buffer.from(result.body ?? []), Buffer.from(content));
});

test('duplicate blocks are ACKed again at most once (no Sorcerer\'s Apprentice)', async (t) => {
  const content = pattern(2000);
  const server = await fake(t, (packet, reply) => {
    if (packet.kind !== 'rrq' && packet.kind !== 'ack') return;
    const block = packet.kind === 'ack' ? packet.block + 1 : 1;
    if ((block - 1) * 512 > content.length) return;
    // Every block goes out four times, and block 1 again whenever any ACK comes.
    for (let i = 0; i < 4; i++) reply(encodeData(block, content.subarray((block - 1) * 512, block * 512)));
    if (block > 1) reply(encodeData(1, content.subarray(0, 512)));
  });
  const result = await get(server.target, 'x', limits, { retransmitMs: 1000 });
  assert.equal(result.outcome, 'ok', result.detail);
  assert.deepEqual(Buffer.from(result.body ?? []), Buffer.from(content));
  await sleep(20);
  const acks = new Map<number, number>();
  for (const packet of server.seen) if (packet.kind === 'ack') acks.set(packet.block, (acks.get(packet.block) ?? 0) + 1);
  assert.deepEqual([...acks], [[1, 2], [2, 2], [3, 2], [4, 1]]);
});

test('block numbers wrap after 65535 (to 0, as tftpd-hpa does, or to 1)', async (t) => {
  for (const wrapTo of [0, 1]) {
    const blocks = 65_540;
    const server = await fake(t, (packet, reply) => {
      if (packet.kind === 'rrq') return reply(encodeOack(new Map([['blksize', '8']])));
      if (packet.kind !== 'ack') return;
      const count = seq.length + 1; // the how-many-th block this is
      if (count > blocks) return;
      const wire = count <= 65535 ? count : (count - 65536 + wrapTo) & 0xffff;
      seq.push(wire);
      reply(encodeData(wire, new Uint8Array(count === blocks ? 3 : 8).fill(count & 0xff)));
    });
    const seq: number[] = [];
    const result = await get(server.target, 'x', { maxBytes: 1_000_000, timeoutMs: 10_000, stallMs: 1000 }, { blockSize: 8 });
    assert.equal(result.outcome, 'ok', result.detail);
    assert.equal(result.bytes, (blocks - 1) * 8 + 3);
    const body = result.body ?? new Uint8Array();
    for (const count of [1, 65535, 65536, 65537, blocks]) assert.equal(body[(count - 1) * 8], count & 0xff, `block ${count}`);
    assert.deepEqual(seq.slice(65534, 65537), [65535, wrapTo, wrapTo + 1]);
  }
});

test('stray TIDs: other ports of the server get ERROR 5, other addresses are ignored, the transfer goes on', async (t) => {
  const content = pattern(1500);
  // The real server is on ::1; the stray is on 127.0.0.1 (another address) or on ::1 (another port).
  const strayV4 = await fake(t, () => {});
  const strayV6 = await fake(t, () => {}, '::1');
  const server = await fake(
    t,
    (packet, reply, from) => {
      if (packet.kind === 'rrq') {
        // Before the TID is fixed, a forged block 1 from another address must not be taken.
        strayV4.socket.send(encodeData(1, Buffer.from('EVIL')), from.port, '127.0.0.1');
        setTimeout(() => serve(content)(packet, reply), 20);
        return;
      }
      if (packet.kind === 'ack' && packet.block === 1) {
        strayV6.socket.send(encodeData(2, Buffer.from('EVIL')), from.port, '::1');
        strayV4.socket.send(encodeData(2, Buffer.from('EVIL')), from.port, '127.0.0.1');
        setTimeout(() => serve(content)(packet, reply), 20);
        return;
      }
      serve(content)(packet, reply);
    },
    '::1',
  );
  const result = await get(server.target, 'x');
  assert.equal(result.outcome, 'ok', result.detail);
  assert.deepEqual(Buffer.from(result.body ?? []), Buffer.from(content));
  await sleep(20);
  assert.deepEqual(strayV6.seen, [{ kind: 'error', code: 5, message: 'Unknown transfer ID' }]);
  assert.deepEqual(strayV4.seen, []);
});

test('malformed and unexpected packets end in protocol-error and an ERROR 4 to the server', async (t) => {
  const cases: [string, (reply: Reply) => void, RegExp][] = [
    ['runt', (reply) => reply(Uint8Array.of(0)), /malformed packet: shorter/],
    ['unknown opcode', (reply) => reply(Uint8Array.of(0, 42, 0, 1)), /unknown opcode 42/],
    ['oversized block', (reply) => reply(encodeData(1, new Uint8Array(600))), /600 bytes, more than 512/],
    ['ACK from a server', (reply) => reply(Uint8Array.of(0, 4, 0, 1)), /unexpected ACK/],
    ['OACK not asked for', (reply) => reply(encodeOack(new Map([['blksize', '8']]))), /unexpected OACK/],
  ];
  for (const [name, misbehave, reason] of cases) {
    const server = await fake(t, (packet, reply) => {
      if (packet.kind === 'rrq') misbehave(reply);
    });
    const result = await get(server.target, 'x');
    assert.equal(result.outcome, 'protocol-error', name);
    assert.match(result.detail, reason, name);
    await sleep(10);
    assert.deepEqual(server.seen.at(-1), { kind: 'error', code: 4, message: 'illegal operation' }, name);
  }
  const greedy = await fake(t, (packet, reply) => {
    if (packet.kind === 'rrq') reply(encodeOack(new Map([['blksize', '9000']])));
  });
  const bigger = await get(greedy.target, 'x', limits, { blockSize: 1024 });
  assert.equal(bigger.outcome, 'protocol-error');
  assert.match(bigger.detail, /block size 9000/);
});

test('server errors carry the code; control characters in messages do not reach the detail line', async (t) => {
  const server = await fake(t, (packet, reply) => {
    if (packet.kind === 'rrq') reply(encodeError(2, 'Access\r\nviolation\x1b[31m'));
  });
  const result = await get(server.target, 'x');
  assert.equal(result.outcome, 'server-error');
  assert.equal(result.status, '2');
  assert.doesNotMatch(result.detail, /[\r\n\x1b]/);
});

test('bad input and aborts end without a stray packet or socket', async (t) => {
  const server = await fake(t, () => {});
  const nul = await get(server.target, 'a\0b');
  assert.equal(nul.outcome, 'protocol-error');
  const name = await get({ address: 'localhost', port: server.target.port }, 'x');
  assert.equal(name.outcome, 'error'); // never resolved: the guard hands over IP literals only
  const badPort = await get({ address: '127.0.0.1', port: 70_000 }, 'x');
  assert.equal(badPort.outcome, 'error');
  await sleep(10);
  assert.deepEqual(server.seen, []);

  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const aborted = await get(server.target, 'x', limits, {}, controller.signal);
  assert.equal(aborted.outcome, 'error');
  assert.match(aborted.detail, /aborted/);
  const already = await get(server.target, 'x', limits, {}, AbortSignal.abort());
  assert.equal(already.outcome, 'error');
});
