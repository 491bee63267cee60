// FTP client against pyftpdlib on 127.0.0.1, and fault servers for what a real one never does (slowloris,
// a PASV reply naming another host, endless data, huge replies, command injection attempts).
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freeTcpPort, hasPyftpdlib, startFtpd } from '../testing/transfer-servers.ts';
import { ftpGet } from './ftp-client.ts';
import type { TransferLimits, TransferResult, TransferTarget } from './transfer.ts';

const limits: TransferLimits = { maxBytes: 1_000_000, timeoutMs: 3000, stallMs: 300 };

function pattern(size: number): Buffer {
  return Buffer.from(Uint8Array.from({ length: size }, (_, i) => (i * 13 + size) & 0xff));
}

/** The client's sockets are gone once ftpGet resolves (libuv needs a moment to drop the handles). */
async function get(target: TransferTarget, path: string, use: TransferLimits = limits, login: { user: string; pass: string } | null = null, signal?: AbortSignal): Promise<TransferResult> {
  await sleep(5);
  const before = tcpHandles();
  const result = await ftpGet(target, path, login, use, signal);
  await sleep(5);
  assert.ok(tcpHandles() <= before, 'the client sockets are closed');
  return result;
}

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;
}

interface Io {
  reply(text: string): void;
  readonly control: Socket;
  /** The next data connection to the fake's data port. */
  data(): Promise<Socket>;
}
type Handler = (argument: string, io: Io) => void;

interface FakeFtp {
  readonly target: TransferTarget;
  readonly dataPort: number;
  readonly commands: string[];
  /** Where data connections came from. */
  readonly dataPeers: string[];
}

/**
 * A scripted FTP server on 127.0.0.1: a working anonymous server that serves `payload` unless a handler
 * (per command, or for the greeting) says otherwise. Every socket it ever saw is destroyed after the test.
 */
async function fakeFtp(t: TestContext, overrides: Record<string, Handler> = {}, payload: Uint8Array = Buffer.from('hello')): Promise<FakeFtp> {
  const sockets = new Set<Socket>();
  const commands: string[] = [];
  const dataPeers: string[] = [];
  const waiting: ((socket: Socket) => void)[] = [];
  const arrived: Socket[] = [];
  const dataServer = createServer((socket) => {
    sockets.add(socket);
    dataPeers.push(`${socket.remoteAddress}`);
    const taker = waiting.shift();
    if (taker) taker(socket);
    else arrived.push(socket);
  });
  const data = (): Promise<Socket> => new Promise((resolve) => {
    const ready = arrived.shift();
    if (ready) resolve(ready);
    else waiting.push(resolve);
  });
  const defaults: Record<string, Handler> = {
    GREETING: (_, io) => io.reply('220 fake ftpd'),
    USER: (_, io) => io.reply('331 password please'),
    PASS: (_, io) => io.reply('230 logged in'),
    TYPE: (_, io) => io.reply('200 binary'),
    EPSV: (_, io) => io.reply(`229 Entering Extended Passive Mode (|||${dataPort}|)`),
    PASV: (_, io) => io.reply(`227 Entering Passive Mode (127,0,0,1,${dataPort >> 8},${dataPort & 0xff})`),
    RETR: (_, io) => {
      io.reply('150 here it comes');
      void io.data().then((socket) => socket.end(payload, () => io.reply('226 done')));
    },
    QUIT: (_, io) => {
      io.reply('221 bye');
      io.control.end();
    },
  };
  const handlers = { ...defaults, ...overrides };
  const control = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    const io: Io = { reply: (text) => void (socket.writable && socket.write(`${text}\r\n`)), control: socket, data };
    handlers.GREETING?.('', io);
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n'); end !== -1; end = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        commands.push(line);
        const [verb = '', ...rest] = line.split(' ');
        const handler = handlers[verb.toUpperCase()];
        if (handler) handler(rest.join(' '), io);
        else io.reply('502 not implemented');
      }
    });
  });
  await new Promise<void>((resolve) => dataServer.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const dataAddress = dataServer.address();
  const controlAddress = control.address();
  if (dataAddress === null || typeof dataAddress === 'string' || controlAddress === null || typeof controlAddress === 'string') throw new Error('no port');
  const dataPort = dataAddress.port;
  t.after(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all([new Promise((resolve) => dataServer.close(resolve)), new Promise((resolve) => control.close(resolve))]);
  });
  return { target: { address: '127.0.0.1', port: controlAddress.port }, dataPort, commands, dataPeers };
}

test('pyftpdlib: anonymous downloads arrive whole; a missing file is server-error 550', { skip: !hasPyftpdlib }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hachi-ftp-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'bins'));
  const server = await startFtpd(dir);
  t.after(() => server.stop());
  const target = { address: '127.0.0.1', port: server.port };
  for (const size of [0, 1, 513, 300_000]) {
    writeFileSync(join(dir, 'bins', `f${size}`), pattern(size));
    const result = await get(target, `/bins/f${size}`);
    assert.equal(result.outcome, 'ok', result.detail);
    assert.equal(result.status, '226');
    assert.equal(result.bytes, size);
    assert.deepEqual(Buffer.from(result.body ?? []), pattern(size));
  }
  const relative = await get(target, 'bins/f513');
  assert.equal(relative.outcome, 'ok', relative.detail);

  const missing = await get(target, '/bins/no-such-file');
  assert.deepEqual([missing.outcome, missing.status, missing.body], ['server-error', '550', null]);
  assert.match(missing.detail, /RETR: 550/);

  const cut = await get(target, '/bins/f300000', { ...limits, maxBytes: 100_000 });
  assert.equal(cut.outcome, 'too-large');
  assert.deepEqual(Buffer.from(cut.body ?? []), pattern(300_000).subarray(0, 100_000));
  assert.ok(cut.bytes > 100_000);
});

test('the happy path sends the expected commands, anonymous by default, and QUIT', async (t) => {
  const server = await fakeFtp(t, {}, pattern(4000));
  const result = await get(server.target, '/x.arm7');
  assert.equal(result.outcome, 'ok', result.detail);
  assert.deepEqual(Buffer.from(result.body ?? []), pattern(4000));
  await sleep(20);
  assert.deepEqual(server.commands, ['USER anonymous', 'PASS anonymous@example.com', 'TYPE I', 'EPSV', 'RETR /x.arm7', 'QUIT']);
  const named = await fakeFtp(t);
  await get(named.target, 'f', limits, { user: 'root', pass: 'hunter2' });
  assert.deepEqual(named.commands.slice(0, 2), ['USER root', 'PASS hunter2']);
});

test('FTP bounce: a PASV reply naming another host is ignored, the data goes to the control address', async (t) => {
  const server = await fakeFtp(t, {
    EPSV: (_, io) => io.reply('500 EPSV not understood'),
    // 10.9.8.7 is never contacted: only the port is taken from this reply.
    PASV: (_, io) => io.reply(`227 Entering Passive Mode (10,9,8,7,${server.dataPort >> 8},${server.dataPort & 0xff})`),
  });
  const result = await get(server.target, 'f');
  assert.equal(result.outcome, 'ok', result.detail);
  assert.equal(Buffer.from(result.body ?? []).toString(), 'hello');
  assert.match(result.detail, /PASV named 10\.9\.8\.7; used 127\.0\.0\.1/);
  assert.deepEqual(server.dataPeers, ['127.0.0.1']);
  assert.ok(server.commands.includes('PASV'));
});

test('a slowloris server ends at the overall timeout; a silent one at the stall limit', async (t) => {
  const drip = await fakeFtp(t, {
    GREETING: (_, io) => {
      const timer = setInterval(() => (io.control.writable ? io.control.write('2') : clearInterval(timer)), 40);
      io.control.on('close', () => clearInterval(timer));
    },
  });
  const started = Date.now();
  const slow = await get(drip.target, 'f', { maxBytes: 1000, timeoutMs: 400, stallMs: 200 });
  assert.equal(slow.outcome, 'timeout', slow.detail);
  assert.ok(Date.now() - started < 2000); // generous: the machine is shared

  const silent = await fakeFtp(t, { GREETING: () => {} });
  const stalled = await get(silent.target, 'f');
  assert.equal(stalled.outcome, 'stalled');
  assert.match(stalled.detail, /waiting for the greeting/);

  const mute = await fakeFtp(t, { TYPE: () => {} });
  assert.match((await get(mute.target, 'f')).detail, /300 ms waiting for TYPE I/);

  const trickle = await fakeFtp(t, {
    RETR: (_, io) => {
      io.reply('150 go');
      void io.data().then((socket) => socket.write('partial')); // then nothing, never closed
    },
  });
  const dataStall = await get(trickle.target, 'f');
  assert.equal(dataStall.outcome, 'stalled');
  assert.match(dataStall.detail, /waiting for data/);
  assert.equal(dataStall.bytes, 7);
});

test('an endless data stream is cut at maxBytes, or at the timeout when it is slow', async (t) => {
  const flood = (chunk: Buffer, everyMs: number): Handler => (_, io) => {
    io.reply('150 go');
    void io.data().then((socket) => {
      const timer = setInterval(() => (socket.writable ? socket.write(chunk) : clearInterval(timer)), everyMs);
      socket.on('close', () => clearInterval(timer));
      socket.on('error', () => clearInterval(timer));
    });
  };
  const fast = await fakeFtp(t, { RETR: flood(Buffer.alloc(16_384, 0x41), 1) });
  const cut = await get(fast.target, 'f', { ...limits, maxBytes: 50_000 });
  assert.equal(cut.outcome, 'too-large');
  assert.equal(cut.body?.length, 50_000);

  const slow = await fakeFtp(t, { RETR: flood(Buffer.alloc(10, 0x42), 20) });
  const timedOut = await get(slow.target, 'f', { maxBytes: 1_000_000, timeoutMs: 300, stallMs: 200 });
  assert.equal(timedOut.outcome, 'timeout');
  assert.equal(timedOut.body, null);
  assert.ok(timedOut.bytes > 0);
});

test('huge multi-line replies and overlong lines end in protocol-error', async (t) => {
  const endless = await fakeFtp(t, {
    GREETING: (_, io) => {
      io.reply('220-welcome');
      for (let i = 0; i < 2000; i++) io.reply(` line ${i} of a banner that never ends`);
    },
  });
  const huge = await get(endless.target, 'f');
  assert.equal(huge.outcome, 'protocol-error');
  assert.match(huge.detail, /reply longer than/);

  const wide = await fakeFtp(t, { GREETING: (_, io) => io.control.write(`220 ${'A'.repeat(100_000)}`) });
  const long = await get(wide.target, 'f');
  assert.equal(long.outcome, 'protocol-error');
  assert.match(long.detail, /line longer than/);

  const garbage = await fakeFtp(t, { GREETING: (_, io) => io.reply('SSH-2.0-OpenSSH_9.2') });
  assert.equal((await get(garbage.target, 'f')).outcome, 'protocol-error');
});

test('4xx/5xx replies are server-error with the code; other surprises are protocol-error', async (t) => {
  const cases: [Record<string, Handler>, string, string][] = [
    [{ GREETING: (_, io) => io.reply('421 too many users') }, 'server-error', '421'],
    [{ PASS: (_, io) => io.reply('530 Login incorrect.') }, 'server-error', '530'],
    [{ TYPE: (_, io) => io.reply('504 no binary') }, 'server-error', '504'],
    [{ EPSV: (_, io) => io.reply('502 no'), PASV: (_, io) => io.reply('425 no passive') }, 'server-error', '425'],
    [{ USER: (_, io) => io.reply('332 need account') }, 'protocol-error', '332'],
    [{ EPSV: (_, io) => io.reply('229 ready (no port here)') }, 'protocol-error', '229'],
    [
      {
        RETR: (_, io) => {
          io.reply('150 go');
          void io.data().then((socket) => socket.end('half', () => io.reply('426 transfer aborted')));
        },
      },
      'server-error',
      '426',
    ],
  ];
  for (const [overrides, outcome, status] of cases) {
    const server = await fakeFtp(t, overrides);
    const result = await get(server.target, 'f');
    assert.deepEqual([result.outcome, result.status, result.body], [outcome, status, null], result.detail);
  }
});

test('CR, LF or NUL in the path or credentials is refused before connecting', async (t) => {
  const server = await fakeFtp(t);
  const attempts: [string, { user: string; pass: string } | null][] = [
    ['f\r\nDELE important', null],
    ['f\nSITE EXEC x', null],
    ['f\0', null],
    ['', null],
    ['f', { user: 'anonymous\r\nPORT 10,0,0,1,0,22', pass: 'x' }],
    ['f', { user: 'u', pass: 'p\r\nRETR /etc/shadow' }],
  ];
  for (const [path, login] of attempts) {
    const result = await get(server.target, path, limits, login);
    assert.equal(result.outcome, 'protocol-error', JSON.stringify(path));
  }
  assert.deepEqual(server.commands, []);
});

test('refused connections, closed ones, non-IP targets and aborts', async (t) => {
  const closedPort = await freeTcpPort();
  const refused = await get({ address: '127.0.0.1', port: closedPort }, 'f');
  assert.equal(refused.outcome, 'refused');
  assert.equal(refused.status, null);

  const hangup = await fakeFtp(t, { GREETING: (_, io) => io.control.end() });
  assert.equal((await get(hangup.target, 'f')).outcome, 'refused');

  const name = await get({ address: 'localhost', port: hangup.target.port }, 'f');
  assert.equal(name.outcome, 'error'); // never resolved: the guard hands over IP literals only

  const silent = await fakeFtp(t, { GREETING: () => {} });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  const aborted = await get(silent.target, 'f', limits, null, controller.signal);
  assert.equal(aborted.outcome, 'error');
  assert.match(aborted.detail, /aborted/);
});
