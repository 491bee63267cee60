// Telnet session flow against the real BusyBox telnetd bytes (fixtures/) and the clients bots use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as settle } from 'node:timers/promises';
import { ashBanner, debianMotd, echoes, loginFlow } from './fixtures/busybox-telnetd.ts';
import { busyboxPersona, loggedIn, runTelnet } from '../../testing/telnet-harness.ts';
import type { TelnetRun } from '../../testing/telnet-harness.ts';

/** Every session ends with exactly one session.close, last, after the shell was closed. */
async function closed(run: TelnetRun): Promise<string> {
  await run.done;
  const types = run.events.events.map((e) => e.type);
  assert.equal(types.filter((t) => t === 'session.close').length, 1, `one session.close in ${types.join(',')}`);
  assert.equal(types.at(-1), 'session.close');
  assert.equal(types[0], 'session.connect');
  return run.events.ofType('session.close')[0]!.reason;
}

test('golden: the login flow of a real BusyBox telnetd, byte for byte', async () => {
  const persona = busyboxPersona({ motd: debianMotd + ashBanner });
  const run = runTelnet({ persona: { ...persona, credentials: { accepted: [{ username: 'root2', password: 's3cret' }], acceptAfterFailures: null } } });
  let expected = '';
  for (const step of loginFlow) {
    if (step.from === 'client') run.send(step.text);
    if (step.from === 'server') {
      expected += step.text;
      await run.waitFor(expected);
      await settle();
      assert.equal(run.out.text(), expected);
    }
  }
  assert.equal(await closed(run), 'exit');
  assert.equal(run.out.text(), expected);
  assert.deepEqual(run.shells.lines, ['echo hi', 'exit']);
  assert.deepEqual(
    run.events.ofType('auth.attempt').map((a) => [a.username, a.password, a.success, a.attempt]),
    [['root2', 'wrong', false, 1], ['root2', 's3cret', true, 2]],
  );
});

for (const { client, server } of echoes.login) {
  test(`golden login echo: ${JSON.stringify(client)}`, async () => {
    const run = runTelnet();
    const before = await run.waitFor('vm login: ');
    run.send(client);
    await run.waitFor(before + server);
    await settle();
    assert.equal(run.out.text(), before + server);
    run.client.destroy();
    assert.equal(await closed(run), 'client-closed');
  });
}

for (const { client, server } of echoes.shell) {
  test(`golden shell echo: ${JSON.stringify(client)}`, async () => {
    const run = await loggedIn();
    await settle();
    const before = run.out.text();
    assert.ok(before.endsWith('$ \x1b[6n'));
    run.send(client);
    await run.waitFor(before + server);
    await settle();
    assert.equal(run.out.text(), before + server);
    run.client.destroy();
    await closed(run);
  });
}

test('golden: pasted lines are echoed one at a time, ESC[6n only when nothing waits', async () => {
  const run = await loggedIn();
  await settle();
  const before = run.out.text();
  run.send(echoes.pasted.client);
  await run.waitFor(before + echoes.pasted.server);
  await settle();
  assert.equal(run.out.text(), before + echoes.pasted.server);
  assert.deepEqual(run.shells.lines, ['echo a; echo b', 'echo c', 'echo d']);
  assert.deepEqual(run.events.ofType('command.input').map((c) => c.line), ['echo a; echo b', 'echo c', 'echo d']);
  run.send('exit\r\n');
  assert.equal(await closed(run), 'exit');
});

test('^D on an empty shell line ends the session as exit', async () => {
  const run = await loggedIn();
  run.send('\x04');
  assert.equal(await closed(run), 'exit');
  assert.equal(run.shells.closed, 1);
});

test('wrong password then right one; the shell gets the user name', async () => {
  const run = runTelnet();
  await run.waitFor('login: ');
  run.send('admin\r\nadmin\r\n');
  await run.waitFor('Login incorrect\r\nvm login: ');
  run.send('root\r\nxmhdipc\r\n');
  await run.waitFor('$ ');
  assert.deepEqual(run.shells.users, ['root']);
  assert.deepEqual(run.events.ofType('auth.attempt').map((a) => a.success), [false, true]);
  run.send('exit\r\n');
  assert.equal(await closed(run), 'exit');
});

test('after maxLoginAttempts failures the device says Login incorrect and hangs up', async () => {
  const run = runTelnet();
  await run.waitFor('login: ');
  run.send('a\r\nb\r\nc\r\nd\r\ne\r\nf\r\n');
  assert.equal(await closed(run), 'login-failed');
  assert.ok(run.out.text().endsWith('Password: \r\nLogin incorrect\r\n'));
  assert.equal(run.events.ofType('auth.attempt').length, 3);
  assert.deepEqual(run.events.ofType('session.limit').map((l) => [l.limit, l.max]), [['login-attempts', 3]]);
  assert.equal(run.shells.users.length, 0);
});

test('a session that never logs in keeps no recording unless asked to; its attempts are events', async () => {
  for (const recordWithoutLogin of [false, true]) {
    const run = runTelnet({ recordWithoutLogin });
    await run.waitFor('login: ');
    run.send('a\r\nb\r\nc\r\nd\r\ne\r\nf\r\n');
    assert.equal(await closed(run), 'login-failed');
    assert.equal(run.recording.discarded, !recordWithoutLogin);
    assert.equal(run.events.ofType('session.recording').length, recordWithoutLogin ? 1 : 0);
    assert.deepEqual(run.events.ofType('auth.attempt').map((a) => a.password), ['b', 'd', 'f']);
  }
});

test('the login failure delay is honoured (and 0 means none)', async () => {
  const run = runTelnet({ persona: busyboxPersona({ loginFailureDelayMs: 150 }) });
  await run.waitFor('login: ');
  run.send('a\r\nb\r\n');
  await run.waitFor('Password: \r\n');
  const sent = Date.now();
  await run.waitFor('Login incorrect');
  assert.ok(Date.now() - sent >= 140, `waited ${Date.now() - sent} ms`);
  run.client.destroy();
  assert.equal(await closed(run), 'client-closed');
});

for (const [name, eol] of [['CR LF', '\r\n'], ['CR NUL', '\r\x00'], ['bare LF', '\n'], ['bare CR', '\r']] as const) {
  test(`a client ending lines with ${name}, answering no negotiation, logs in and runs commands`, async () => {
    const run = runTelnet();
    await run.waitFor('login: ');
    run.send(`root${eol}xmhdipc${eol}echo one${eol}echo two${eol}exit${eol}`);
    assert.equal(await closed(run), 'exit');
    assert.deepEqual(run.shells.lines, ['echo one', 'echo two', 'exit']);
    assert.ok(run.out.text().includes('root\r\nPassword: \r\n'));
    assert.ok(run.out.text().includes('$ echo one\r\none\r\n$ echo two\r\ntwo\r\n$ exit\r\n'));
  });
}

test('a client that negotiates: NAWS and TTYPE reach the event and the recording header', async () => {
  const run = runTelnet();
  await run.waitFor('login: ');
  run.send(Uint8Array.of(0xff, 0xfb, 0x1f, 0xff, 0xfa, 0x1f, 0x00, 0x84, 0x00, 0x30, 0xff, 0xf0, 0xff, 0xfd, 0x01, 0xff, 0xfb, 0x18));
  run.send(Uint8Array.of(0xff, 0xfa, 0x18, 0x00, ...Buffer.from('xterm-256color'), 0xff, 0xf0));
  run.send('root\r\nxmhdipc\r\nexit\r\n');
  assert.equal(await closed(run), 'exit');
  assert.deepEqual(run.events.ofType('telnet.negotiation'), [
    { terminalType: 'xterm-256color', width: 132, height: 48, options: ['WILL NAWS', 'DO ECHO', 'WILL TTYPE'] },
  ]);
  const header = JSON.parse(run.recording.lines[0]!) as Record<string, unknown>;
  assert.equal(header.width, 132);
  assert.equal(header.height, 48);
  assert.deepEqual(header.env, { SHELL: '/bin/sh', TERM: 'xterm-256color' });
});

test('backspace editing at the login prompt and in the shell', async () => {
  const run = runTelnet();
  await run.waitFor('login: ');
  run.send('rooo\x7ft\r\nxmhdipc\r\n');
  await run.waitFor('$ ');
  run.send('ecxo\x7f\x7fho hi\x08\x08hi\r\n');
  await run.waitFor('hi\r\n$ ');
  assert.deepEqual(run.shells.users, ['root']);
  assert.deepEqual(run.shells.lines, ['echo hi']);
  run.client.end();
  assert.equal(await closed(run), 'client-closed');
});

test('IAC in data: 0xFF typed arrives as one byte; 0xFF in output is doubled', async () => {
  const run = await loggedIn();
  run.send(Uint8Array.of(0x65, 0x63, 0x68, 0x6f, 0x20, 0xc3, 0xff, 0xff, 0x0d, 0x0a));
  await run.waitFor('echo');
  run.send('bin\r\n');
  await run.waitFor('A\xff\xff\r\n$ ');
  assert.equal(run.shells.lines[1], 'bin');
  // 0xC3 0xFF is not UTF-8: the line is decoded with replacement characters, never thrown away.
  assert.equal(run.shells.lines[0], 'echo \ufffd\ufffd');
  run.client.end();
  await closed(run);
});

test('the asciicast recording is a header and JSON event lines matching the terminal', async () => {
  const run = await loggedIn();
  run.send('echo hi\r\nexit\r\n');
  await closed(run);
  const [headerLine, ...lines] = run.recording.lines;
  const header = JSON.parse(headerLine!) as Record<string, unknown>;
  assert.equal(header.version, 2);
  assert.equal(header.width, 80);
  assert.equal(header.height, 24);
  assert.equal(typeof header.timestamp, 'number');
  let last = 0;
  let output = '';
  for (const line of lines) {
    const event = JSON.parse(line) as unknown;
    assert.ok(Array.isArray(event) && event.length === 3);
    const [t, kind, data] = event as [number, string, string];
    assert.ok(typeof t === 'number' && t >= last);
    last = t;
    assert.ok(kind === 'o' || kind === 'i');
    assert.equal(typeof data, 'string');
    if (kind === 'o') output += data;
  }
  // Everything on the terminal except the option negotiation is in the recording.
  assert.equal(output, run.out.text().slice(12));
  assert.ok(run.recording.closed);
  assert.deepEqual(run.events.ofType('session.recording'), [{ path: 'recordings/test.cast', format: 'asciicast-v2', bytes: run.recording.lines.reduce((n, l) => n + l.length + 1, 0) }]);
});

test('the shell is closed (files captured) before session.close', async () => {
  const run = await loggedIn();
  run.send('exit\r\n');
  await closed(run);
  const types = run.events.events.map((e) => e.type);
  assert.ok(types.indexOf('file.write') < types.indexOf('session.close'));
  assert.equal(run.shells.closed, 1);
});

test('without the cursor query option no ESC[6n is sent', async () => {
  const run = await loggedIn({ cursorPositionQuery: false });
  run.send('exit\r\n');
  await closed(run);
  assert.ok(!run.out.text().includes('\x1b[6n'));
});
