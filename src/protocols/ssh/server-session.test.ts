// The emulated sshd with real clients over loopback: Debian OpenSSH (via sshpass), paramiko and
// hydra log in, run commands and get exit codes; every request and login is an event.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshServer, type SshSession, type SshTestServer } from '../../testing/ssh-server-harness.ts';

const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const paramiko = spawnSync('/usr/bin/python3', ['-c', 'import paramiko']).status === 0;
const sshOptions = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'PubkeyAuthentication=no'];

let server: SshTestServer;
before(async () => {
  server = await startSshServer();
});
after(async () => {
  await server.close();
});

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], input = '', timeoutMs = 20_000): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('latin1')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('latin1')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

const ssh = (password: string, args: readonly string[], input = ''): Promise<Result> =>
  run('sshpass', ['-p', password, 'ssh', '-p', String(server.port), ...sshOptions, ...args], input);

/** The session that a client run just finished (the last one started), once it has closed. */
async function lastSession(): Promise<SshSession> {
  const session = server.sessions.at(-1);
  assert.ok(session, 'no session was started');
  await session.done;
  return session;
}

const skipOpenSsh = has('sshpass') && has('ssh') ? false : 'needs sshpass and OpenSSH';

test('OpenSSH exec gets the output and the exit code', { skip: skipOpenSsh }, async () => {
  const result = await ssh('xmhdipc', ['root@127.0.0.1', 'echo hi; exit 3']);
  assert.equal(result.stdout, 'hi\n', result.stderr);
  assert.equal(result.code, 3);
  const { events } = await lastSession();
  const client = events.ofType('ssh.client')[0];
  assert.ok(client, 'ssh.client event');
  assert.match(client.ident, /^SSH-2\.0-OpenSSH_/);
  assert.match(client.hassh, /^[0-9a-f]{32}$/);
  // OpenSSH prefers keyboard-interactive when the server offers it, as sshd with PAM does.
  assert.deepEqual(events.ofType('auth.attempt').map((a) => [a.method, a.username, a.password, a.success]), [['keyboard-interactive', 'root', 'xmhdipc', true]]);
  assert.ok(events.ofType('ssh.request').some((r) => r.request === 'exec' && r.detail === 'echo hi; exit 3' && r.accepted));
  assert.deepEqual(events.ofType('command.input').map((c) => c.line), ['echo hi; exit 3']);
  const closes = events.ofType('session.close');
  assert.equal(closes.length, 1);
  assert.equal(closes[0]!.reason, 'client-closed');
});

test('OpenSSH interactive shell with a pty: motd, prompt, commands, exit', { skip: skipOpenSsh }, async () => {
  const result = await ssh('xmhdipc', ['-tt', 'root@127.0.0.1'], 'uname\nexit 5\n');
  assert.match(result.stdout, /Welcome to the camera\r\n/, result.stderr);
  assert.match(result.stdout, /root@vm:~# uname\r\nLinux\r\n/);
  assert.equal(result.code, 5);
  const { events, recording } = await lastSession();
  const requests = events.ofType('ssh.request');
  assert.ok(requests.some((r) => r.request === 'pty-req' && /^\S+ \d+x\d+$/.test(r.detail)), JSON.stringify(requests));
  assert.ok(requests.some((r) => r.request === 'shell' && r.accepted));
  assert.deepEqual(events.ofType('command.input').map((c) => c.line), ['uname', 'exit 5']);
  assert.ok(events.ofType('session.recording').length === 1);
  const header = JSON.parse(recording.lines[0]!) as { version: number };
  assert.equal(header.version, 2);
  assert.ok(recording.lines.some((l) => l.includes('Linux')));
});

test('OpenSSH shell without a pty (ssh -T): no prompt, no echo, lines run, exit status', { skip: skipOpenSsh }, async () => {
  const result = await ssh('xmhdipc', ['-T', 'root@127.0.0.1'], 'echo a\nexit 4\n');
  assert.equal(result.stdout, 'a\n', result.stderr);
  assert.equal(result.code, 4);
  const { events } = await lastSession();
  assert.deepEqual(events.ofType('command.input').map((c) => c.line), ['echo a', 'exit 4']);
  assert.ok(!events.ofType('ssh.request').some((r) => r.request === 'pty-req'));
});

test('paramiko pty shell: line editing, ^C, window change, ^D ends it', { skip: paramiko ? false : 'needs python3-paramiko' }, async () => {
  const script = `
import paramiko, time
c = paramiko.SSHClient()
c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
c.connect('127.0.0.1', port=${server.port}, username='root', password='xmhdipc', look_for_keys=False, allow_agent=False)
ch = c.invoke_shell(term='vt100', width=80, height=24)
def until(marker):
    buf = b''
    end = time.time() + 10
    while marker not in buf and time.time() < end:
        data = ch.recv(4096)
        if not data:
            break
        buf += data
    return buf
until(b'# ')
ch.resize_pty(width=100, height=40)
ch.send('echo abX\\x7fc\\r')
print('EDIT', repr(until(b'abc\\r\\n')))
ch.send('echo never\\x03')
print('INTR', repr(until(b'^C\\r\\n')))
ch.send('\\x04')
until(b'never-appears')
print('STATUS', ch.recv_exit_status())
c.close()
`;
  const result = await run('/usr/bin/python3', ['-c', script]);
  assert.match(result.stdout, /EDIT .*abX\\x08\\x1b\[Jc\\r\\nabc\\r\\n/, result.stdout + result.stderr);
  assert.match(result.stdout, /INTR .*never\^C\\r\\n/);
  assert.match(result.stdout, /STATUS 0/);
  const { events, recording } = await lastSession();
  const requests = events.ofType('ssh.request');
  assert.ok(requests.some((r) => r.request === 'pty-req' && r.detail === 'vt100 80x24'), JSON.stringify(requests));
  assert.ok(requests.some((r) => r.request === 'window-change' && r.detail === '100x40'));
  assert.deepEqual(events.ofType('command.input').map((c) => c.line), ['echo abc']);
  const header = JSON.parse(recording.lines[0]!) as { width: number; height: number; env: { TERM?: string } };
  assert.deepEqual([header.width, header.height, header.env.TERM], [80, 24, 'vt100']);
  assert.ok(recording.lines.some((l) => l === JSON.stringify(JSON.parse(l)) && l.includes('"r","100x40"')));
});

test('a wrong password is recorded as failed, then the right one is accepted', { skip: skipOpenSsh }, async () => {
  const wrong = await ssh('nope', ['-o', 'NumberOfPasswordPrompts=1', 'root@127.0.0.1', 'true']);
  assert.notEqual(wrong.code, 0);
  const failed = await lastSession();
  assert.deepEqual(failed.events.ofType('auth.attempt').map((a) => [a.password, a.success]), [['nope', false]]);
  assert.equal(failed.events.ofType('session.recording').length, 0);
  const right = await ssh('xmhdipc', ['root@127.0.0.1', 'echo ok']);
  assert.equal(right.stdout, 'ok\n');
});

test('ssh -W (direct-tcpip) is refused and recorded with its target', { skip: skipOpenSsh }, async () => {
  const result = await ssh('xmhdipc', ['-W', '10.0.0.1:25', 'root@127.0.0.1']);
  assert.notEqual(result.code, 0);
  const { events } = await lastSession();
  const forward = events.ofType('ssh.request').find((r) => r.request === 'direct-tcpip');
  assert.ok(forward);
  assert.match(forward.detail, /^10\.0\.0\.1:25 from /);
  assert.equal(forward.accepted, false);
});

test('env and remote forwarding requests are recorded and refused', { skip: skipOpenSsh }, async () => {
  const result = await run('sshpass', ['-p', 'xmhdipc', 'ssh', '-p', String(server.port), ...sshOptions, '-o', 'SetEnv=HACHI_T=xy', '-o', 'ExitOnForwardFailure=no', '-R', '127.0.0.1:4444:127.0.0.1:22', 'root@127.0.0.1', 'echo done'], '', 20_000);
  assert.equal(result.stdout, 'done\n', result.stderr);
  const { events } = await lastSession();
  const requests = events.ofType('ssh.request');
  assert.ok(requests.some((r) => r.request === 'tcpip-forward' && r.detail === '127.0.0.1:4444' && !r.accepted), JSON.stringify(requests));
  assert.ok(requests.some((r) => r.request === 'env' && r.detail === 'HACHI_T=xy'), JSON.stringify(requests));
});

test('public keys are recorded with their fingerprint and refused', { skip: skipOpenSsh }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-ssh-key-'));
  try {
    const key = join(dir, 'id');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    const fingerprint = /SHA256:[A-Za-z0-9+/]{43}/.exec(spawnSync('ssh-keygen', ['-lf', `${key}.pub`], { encoding: 'utf8' }).stdout)?.[0];
    const result = await run('ssh', ['-p', String(server.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-i', key, 'root@127.0.0.1', 'true']);
    assert.notEqual(result.code, 0);
    const { events } = await lastSession();
    const attempt = events.ofType('auth.attempt').find((a) => a.method === 'publickey');
    assert.ok(attempt);
    assert.equal(attempt.key, `ssh-ed25519 ${fingerprint}`);
    assert.equal(attempt.success, false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('too many failed logins: session.limit and the server hangs up', { skip: skipOpenSsh }, async () => {
  // OpenSSH asks SSH_ASKPASS for each of its password prompts (sshpass answers only the first).
  const dir = await mkdtemp(join(tmpdir(), 'hachi-ssh-askpass-'));
  const askpass = join(dir, 'askpass');
  await writeFile(askpass, '#!/bin/sh\necho wrong\n', { mode: 0o755 });
  const result = await new Promise<Result>((resolve) => {
    const child = spawn('ssh', ['-p', String(server.port), ...sshOptions, '-o', 'NumberOfPasswordPrompts=20', 'root@127.0.0.1', 'true'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout: '', stderr }));
  });
  await rm(dir, { recursive: true, force: true });
  assert.notEqual(result.code, 0);
  const { events } = await lastSession();
  assert.equal(events.ofType('auth.attempt').length, 6);
  assert.deepEqual(events.ofType('session.limit').map((l) => [l.limit, l.max]), [['login-attempts', 6]]);
  assert.equal(events.ofType('session.close')[0]!.reason, 'login-failed');
});

test('channels past the limit: session.limit and close', { skip: paramiko ? false : 'needs python3-paramiko' }, async () => {
  const small = await startSshServer({ limits: { maxChannels: 2 } });
  try {
    const script = `
import paramiko
c = paramiko.SSHClient()
c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
c.connect('127.0.0.1', port=${small.port}, username='root', password='xmhdipc', look_for_keys=False, allow_agent=False)
t = c.get_transport()
for i in range(3):
    try:
        t.open_session()
        print('opened', i)
    except Exception as e:
        print('refused', i)
`;
    const result = await run('/usr/bin/python3', ['-c', script]);
    assert.match(result.stdout, /opened 1/, result.stderr);
    assert.match(result.stdout, /refused 2/);
    await small.settled();
    const events = small.sessions[0]!.events;
    assert.deepEqual(events.ofType('session.limit').map((l) => l.limit), ['channels']);
    assert.equal(events.ofType('session.close')[0]!.reason, 'limit');
  } finally {
    await small.close();
  }
});

test('paramiko exec_command and invoke_shell', { skip: paramiko ? false : 'needs python3-paramiko' }, async () => {
  const script = `
import paramiko, time
c = paramiko.SSHClient()
c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
c.connect('127.0.0.1', port=${server.port}, username='root', password='xmhdipc', look_for_keys=False, allow_agent=False)
i, o, e = c.exec_command('uname; exit 7')
print('OUT', repr(o.read().decode()))
print('STATUS', o.channel.recv_exit_status())
ch = c.invoke_shell()
ch.send('echo hello\\n')
buf = b''
end = time.time() + 10
while b'hello\\r\\n' not in buf and time.time() < end:
    buf += ch.recv(4096)
ch.send('exit\\n')
print('SHELL', b'hello\\r\\n' in buf)
c.close()
`;
  const result = await run('/usr/bin/python3', ['-c', script]);
  assert.match(result.stdout, /OUT 'Linux\\n'/, result.stderr);
  assert.match(result.stdout, /STATUS 7/);
  assert.match(result.stdout, /SHELL True/);
});

test('hydra finds the factory credential over ssh', { skip: has('hydra') ? false : 'needs hydra' }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-ssh-hydra-'));
  try {
    const list = join(dir, 'passwords.txt');
    await writeFile(list, ['admin', '123456', 'root', 'xmhdipc', 'default'].join('\n') + '\n');
    const result = await run('hydra', ['-I', '-l', 'root', '-P', list, '-t', '4', `ssh://127.0.0.1:${server.port}`], '', 60_000);
    assert.match(result.stdout, /login: root\s+password: xmhdipc/, result.stdout + result.stderr);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await server.settled();
  const attempts = server.sessions.flatMap((s) => s.events.ofType('auth.attempt'));
  assert.ok(attempts.some((a) => a.password === 'xmhdipc' && a.success));
  assert.ok(attempts.some((a) => a.password === 'admin' && !a.success));
});
