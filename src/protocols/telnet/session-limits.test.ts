// Bad input and every way a Telnet session ends: limits, timers, broken streams, random bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loggedIn, runTelnet } from '../../testing/telnet-harness.ts';
import type { TelnetRun } from '../../testing/telnet-harness.ts';

async function closeReason(run: TelnetRun): Promise<string> {
  await run.done;
  const closes = run.events.ofType('session.close');
  assert.equal(closes.length, 1);
  assert.equal(run.events.events.at(-1)?.type, 'session.close');
  return closes[0]!.reason;
}

/** Resolves when the client side sees the end of the stream. */
const clientEnded = (run: TelnetRun): Promise<void> =>
  new Promise((resolve) => {
    if (run.client.readableEnded) resolve();
    run.client.once('end', () => resolve());
    run.client.once('close', () => resolve());
  });

test('a 10 MB line in the shell is cut at the line limit, reported, and the session closed', async () => {
  const run = await loggedIn({ limits: { maxLineLength: 4096, maxInputBytes: 64 * 1024 * 1024 } });
  const ended = clientEnded(run);
  const before = run.out.text().length;
  run.send(Buffer.alloc(10 * 1024 * 1024, 0x41));
  assert.equal(await closeReason(run), 'limit');
  assert.deepEqual(run.events.ofType('session.limit'), [{ limit: 'line-length', max: 4096, detail: 'line longer than 4096 bytes' }]);
  assert.equal(run.shells.lines.length, 0);
  assert.ok(run.out.text().length - before <= 4096 + 10, 'echo stops at the limit');
  await ended;
});

test('a 10 MB user name is cut the same way', async () => {
  const run = runTelnet({ limits: { maxLineLength: 1000, maxInputBytes: 64 * 1024 * 1024 } });
  await run.waitFor('login: ');
  run.send(Buffer.alloc(10 * 1024 * 1024, 0x42));
  assert.equal(await closeReason(run), 'limit');
  assert.equal(run.events.ofType('session.limit')[0]?.limit, 'line-length');
  assert.equal(run.events.ofType('auth.attempt').length, 0);
});

test('total input past maxInputBytes ends the session with an input-bytes limit', async () => {
  const run = await loggedIn({ limits: { maxInputBytes: 2000 } });
  for (let i = 0; i < 200; i++) run.send('echo 0123456789\r\n');
  assert.equal(await closeReason(run), 'limit');
  assert.deepEqual(run.events.ofType('session.limit').map((l) => [l.limit, l.max]), [['input-bytes', 2000]]);
  assert.ok(run.events.ofType('session.close')[0]!.bytesIn > 2000);
});

test('an endless subnegotiation gives one subnegotiation limit and a clean close', async () => {
  const run = runTelnet();
  await run.waitFor('login: ');
  const ended = clientEnded(run);
  run.send(Uint8Array.of(0xff, 0xfa, 0x18, 0x00));
  for (let i = 0; i < 10; i++) run.send(Buffer.alloc(500, 0x41));
  assert.equal(await closeReason(run), 'limit');
  assert.deepEqual(run.events.ofType('session.limit'), [{ limit: 'subnegotiation', max: 1024, detail: 'subnegotiation longer than 1024 bytes' }]);
  await ended;
});

test('idle timeout at the login prompt and in the shell', async () => {
  const atLogin = runTelnet({ limits: { idleTimeoutMs: 40 } });
  assert.equal(await closeReason(atLogin), 'idle-timeout');
  const inShell = await loggedIn({ limits: { idleTimeoutMs: 60 } });
  assert.equal(await closeReason(inShell), 'idle-timeout');
  assert.equal(inShell.shells.closed, 1);
});

test('input keeps the idle timer alive; the maximum session length still ends it', async () => {
  const run = await loggedIn({ limits: { idleTimeoutMs: 80, maxSessionMs: 250 } });
  const started = Date.now();
  const typing = setInterval(() => run.send('x'), 20);
  const reason = await closeReason(run);
  clearInterval(typing);
  assert.equal(reason, 'max-duration');
  assert.ok(Date.now() - started >= 150);
});

test('a limit firing while a command runs still closes once, after the shell', async () => {
  const run = await loggedIn({ limits: { maxSessionMs: 20 } });
  run.send('sleep\r\necho after\r\n');
  assert.equal(await closeReason(run), 'max-duration');
  assert.equal(run.shells.closed, 1);
  assert.ok(!run.shells.lines.includes('echo after'));
});

test('the client hanging up ends the session as client-closed', async () => {
  const run = await loggedIn();
  run.client.destroy();
  assert.equal(await closeReason(run), 'client-closed');
  assert.equal(run.shells.closed, 1);
});

test('a stream error ends the session with reason error and never throws', async () => {
  const run = await loggedIn();
  run.server.destroy(new Error('disk on fire'));
  assert.equal(await closeReason(run), 'error');
});

test('a connection reset is how bots hang up: reason client-closed', async () => {
  const run = await loggedIn();
  run.server.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
  assert.equal(await closeReason(run), 'client-closed');
});

test('lines sent before the client half-closes still run', async () => {
  const run = runTelnet();
  await run.waitFor('login: ');
  run.send('root\r\nxmhdipc\r\necho one\r\necho two\r\n');
  run.client.end();
  assert.equal(await closeReason(run), 'client-closed');
  assert.deepEqual(run.shells.lines, ['echo one', 'echo two']);
});

test('a shell that throws ends the session with reason error', async () => {
  const run = await loggedIn();
  const shells = run.shells;
  shells.lines.push = () => {
    throw new Error('shell bug');
  };
  run.send('echo boom\r\n');
  assert.equal(await closeReason(run), 'error');
});

const goodSteps = ['root\r\n', 'xmhdipc\r\n', 'echo hi\r\n', '\xff\xfb\x1f', '\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0', '\x7f', '\x03', 'exit\r\n'];
const chunk = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.constantFrom(...goodSteps).map((s) => Buffer.from(s, 'latin1')),
  fc.constantFrom(Uint8Array.of(0xff), Uint8Array.of(0xff, 0xfa), Uint8Array.of(0x0d), Uint8Array.of(0x04), Uint8Array.of(0x1b, 0x5b)),
);

test('property: random and mutated input never throws and always ends with one session.close', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(chunk, { maxLength: 25 }), fc.constantFrom('end', 'destroy', 'silent'), async (chunks, ending) => {
      const run = runTelnet({ limits: { idleTimeoutMs: 50, maxSessionMs: 2000, maxLineLength: 300, maxInputBytes: 3000, maxSubnegotiationBytes: 64 } });
      for (const c of chunks) run.send(c);
      if (ending === 'destroy') run.client.destroy();
      if (ending === 'end') run.client.end();
      const reason = await closeReason(run);
      assert.ok(['exit', 'client-closed', 'limit', 'login-failed', 'idle-timeout'].includes(reason), reason);
    }),
    { numRuns: 60 },
  );
});
