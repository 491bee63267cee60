// Golden conversations through the Telnet relay observer: the real BusyBox recording, hachi's own
// BusyBox emulation (compared with the events its session emitted), a Cisco-like device and odd ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTelnetObserver } from './telnet-observer.ts';
import type { TelnetObservation, TelnetObserverOptions } from './telnet-observer.ts';
import { busyboxLoginFlow, ciscoLike, client, device, neverPrompts, replay } from './fixtures/telnet-conversations.ts';
import type { Step } from './fixtures/telnet-conversations.ts';
import { deviceOutputs, recordConversation, wrongThenRightThenTwoCommands } from '../testing/telnet-conversation.ts';
import { echoes } from '../protocols/telnet/fixtures/busybox-telnetd.ts';

const limits: TelnetObserverOptions = { maxLineBytes: 8192, maxOutputBytes: 65_536 };
const observe = (steps: readonly Step[], options: TelnetObserverOptions = limits): TelnetObservation[] => replay(createTelnetObserver(options), steps);
const crlf = (text: string): string => text.replace(/\n/g, '\r\n');
const auth = (username: string, password: string, success: boolean | null, attempt: number): TelnetObservation => ({ kind: 'auth', username, password, success, attempt });
const command = (line: string): TelnetObservation => ({ kind: 'command', line });
const output = (cmd: string, text: string, truncated = false): TelnetObservation => ({ kind: 'output', command: cmd, text, truncated });

/** Logged in on the real BusyBox recording, at the "$ " prompt. */
const busyboxShell = busyboxLoginFlow.slice(0, 9);

test('real BusyBox telnetd: wrong password, right one, echo hi, exit', () => {
  assert.deepEqual(observe(busyboxLoginFlow), [
    auth('root2', 'wrong', false, 1),
    auth('root2', 's3cret', true, 2),
    command('echo hi'),
    output('echo hi', 'hi\r\n'),
    command('exit'),
    output('exit', ''),
  ]);
});

test('a failure message is judged when it arrives, success when the attacker answers the prompt', () => {
  const observer = createTelnetObserver(limits);
  const seen = busyboxLoginFlow.slice(0, 5).map((s) => (s.from === 'client' ? observer.fromClient(s.bytes) : observer.fromDevice(s.bytes)));
  assert.deepEqual(seen[4], [auth('root2', 'wrong', false, 1)]);
  for (const s of busyboxLoginFlow.slice(5, 9)) assert.deepEqual(s.from === 'client' ? observer.fromClient(s.bytes) : observer.fromDevice(s.bytes), []);
  assert.deepEqual(observer.fromClient(new Uint8Array([0x65])), [auth('root2', 's3cret', true, 2)]);
});

test("hachi's BusyBox emulation: observations equal the session's own events", async () => {
  const { steps, events } = await recordConversation(wrongThenRightThenTwoCommands);
  const seen = observe(steps);
  const truth = events.ofType('auth.attempt').map((a) => auth(a.username, a.password, a.success, a.attempt));
  assert.deepEqual(
    seen.filter((o) => o.kind === 'auth'),
    truth,
  );
  assert.deepEqual(
    seen.filter((o) => o.kind === 'command').map((o) => o.line),
    events.ofType('command.input').map((c) => c.line),
  );
  assert.deepEqual(
    seen.filter((o) => o.kind === 'output'),
    [output('uname -a', crlf(deviceOutputs.uname)), output('cat /proc/cpuinfo', crlf(deviceOutputs.cpuinfo)), output('exit', '')],
  );
});

test('a bot typing ahead of the prompts: the lines are read as login would read them', async () => {
  const { steps, events } = await recordConversation([
    { until: 'login: ' },
    { send: 'root\r\nxmhdipc\r\nuname -a\r\n', until: 'GNU/Linux\r\n# ' },
  ]);
  const seen = observe(steps);
  const attempt = events.ofType('auth.attempt')[0]!;
  assert.deepEqual(seen, [auth(attempt.username, attempt.password, true, 1), command('uname -a'), output('uname -a', crlf(deviceOutputs.uname))]);
});

test('a Cisco-like device: Username:, % Login invalid, Router>, enable', () => {
  assert.deepEqual(observe(ciscoLike), [
    auth('cisco', 'cisco', false, 1),
    auth('admin', 'Cisco123', true, 2),
    command('show version'),
    output('show version', 'Cisco IOS Software, C880 Software (C880DATA-UNIVERSALK9-M), Version 15.1(4)M4\r\nROM: System Bootstrap, Version 12.4(22r)YB5\r\n\r\n'),
    command('enable'),
    output('enable', 'Password: '),
    // A secret typed at a prompt inside the shell is still a line the attacker typed.
    command('class'),
    output('class', '\r\n'),
    command('exit'),
    output('exit', ''),
  ]);
});

test('a device that never prompts: no login attempt and no command is invented', () => {
  assert.deepEqual(observe(neverPrompts), []);
});

test('a device with no login drops straight into a shell', () => {
  const steps = [device('\r\n\r\nBusyBox v1.19.4 built-in shell (ash)\r\n\r\n~ # '), client('id\r\n'), device('id\r\nuid=0(root) gid=0(root)\r\n~ # ')];
  assert.deepEqual(observe(steps), [command('id'), output('id', 'uid=0(root) gid=0(root)\r\n')]);
});

test('the session ends while the device is still deciding: success null', () => {
  const steps = busyboxLoginFlow.slice(0, 7).concat([client('s3cret\r\n'), device('\r\n')]);
  assert.deepEqual(observe(steps), [auth('root2', 'wrong', false, 1), auth('root2', 's3cret', null, 2)]);
});

test('a device that asks only for a password: the user name is empty', () => {
  const steps = [device('\r\nPassword: '), client('1234\r\n'), device('\r\nPassword: '), client('admin\r\n'), device('\r\nhost> ')];
  assert.deepEqual(observe(steps), [auth('', '1234', false, 1), auth('', 'admin', true, 2)]);
});

test('typed lines are edited as the device edits them (DEL, BS, ^U, ^C, CR NUL, bare LF, escapes)', () => {
  const steps = [
    ...busyboxShell,
    client('ecoh\x7f\x7fho a\x08b\r\x00'),
    device('ecoh\b\x1b[J\b\x1b[Jho a\b\x1b[Jb\r\nb\r\n$ \x1b[6n'),
    client('\x1b[24;80Rjunk\x15echo c\n'),
    device('junk\r$ \x1b[Jecho c\r\nc\r\n$ \x1b[6n'),
    client('rm -rf /\x03'),
    device('rm -rf /^C\r\n$ \x1b[6n'),
    client('echo \xc3\xa9t\xc3\xa9\x7f\x7f\r\n'),
    device('echo \xc3\xa9t\xc3\xa9\b\x1b[J\b\x1b[J\r\n\xc3\xa9\r\n$ '),
  ];
  assert.deepEqual(observe(steps).slice(2), [
    command('echo b'),
    output('echo b', 'b\r\n'),
    command('echo c'),
    output('echo c', 'c\r\n'),
    command('echo é'),
    output('echo é', 'é\r\n'),
  ]);
});

test('pasted lines: each output goes to its own command (the real BusyBox bytes)', () => {
  const steps = [...busyboxShell, client(echoes.pasted.client), device(echoes.pasted.server)];
  assert.deepEqual(observe(steps).slice(2), [
    command('echo a; echo b'),
    command('echo c'),
    command('echo d'),
    output('echo a; echo b', 'a\r\nb\r\n'),
    output('echo c', 'c\r\n'),
    output('echo d', 'd\r\n'),
  ]);
});

test('IAC noise, NAWS and TTYPE negotiation mid-stream change nothing', () => {
  const noisy = busyboxLoginFlow.map((s): Step => {
    const text = Buffer.from(s.bytes).toString('latin1');
    const middle = Math.floor(text.length / 2);
    const noise = s.from === 'client' ? '\xff\xfb\x18\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0\xff\xfa\x18\x00xterm\xff\xf0\xff\xf1' : '\xff\xfd\x18\xff\xfa\x18\x01\xff\xf0\xff\xf1';
    return s.from === 'client' ? client(text.slice(0, middle) + noise + text.slice(middle)) : device(noise + text.slice(0, middle) + noise + text.slice(middle));
  });
  assert.deepEqual(observe(noisy), observe(busyboxLoginFlow));
});

test('IAC IAC in output is one 0xFF byte', () => {
  const steps = [...busyboxShell, client('bin\r\n'), device('bin\r\nA\xff\xff\r\n$ '), client('exit\r\n')];
  const seen = observe(steps);
  assert.deepEqual(seen[3], output('bin', 'A\xff\r\n')); // not valid UTF-8: kept as latin1, byte for byte
});

test('output that is valid UTF-8 is decoded as UTF-8', () => {
  const utf8Bytes = Buffer.from('Kühlschrank €\r\n', 'utf8').toString('latin1');
  const steps = [...busyboxShell, client('bin\r\n'), device(`bin\r\n${utf8Bytes}$ `), client('exit\r\n')];
  assert.deepEqual(observe(steps)[3], output('bin', 'Kühlschrank €\r\n'));
});

test('a 1 MB line is cut to maxLineBytes and still reported', () => {
  const options = { maxLineBytes: 1024, maxOutputBytes: 4096 };
  const big = 'A'.repeat(1024 * 1024);
  const steps = [...busyboxShell, client(`${big}\r\n`), device(`${big}\r\n-sh: AAAA: not found\r\n$ `), client('exit\r\n')];
  const seen = observe(steps, options);
  assert.deepEqual(seen[2], command('A'.repeat(1024)));
  const out = seen[3];
  assert.equal(out?.kind, 'output');
  assert.ok(out.kind === 'output' && out.truncated && out.text.length <= 4096);
  // As a user name too.
  const login = observe([device('login: '), client(`${big}\r\n`), device('Password: '), client('x\r\n'), device('\r\nLogin incorrect\r\n')], options);
  assert.deepEqual(login, [auth('A'.repeat(1024), 'x', false, 1)]);
});

test('output past maxOutputBytes is cut and marked truncated', () => {
  const steps = [...busyboxShell, client('cat big\r\n'), device(`cat big\r\n${'x'.repeat(100)}\r\n$ `), client('exit\r\n')];
  assert.deepEqual(observe(steps, { maxLineBytes: 64, maxOutputBytes: 50 })[3], output('cat big', 'x'.repeat(41), true));
});
