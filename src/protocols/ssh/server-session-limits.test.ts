// Limits of the emulated sshd with a real client (paramiko): idle time, input bytes, login grace and
// shutdown each end the connection cleanly, once, with the reason recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import type { ShutdownNotice } from '../../core/ports.ts';
import { startSshServer, type SshServerOptions } from '../../testing/ssh-server-harness.ts';

const skip = spawnSync('/usr/bin/python3', ['-c', 'import paramiko']).status === 0 ? false : 'needs python3-paramiko';

/** Logs in (unless `login` is false), opens a shell, sends `send` bytes, then waits up to 5 s for the server to hang up. */
function client(port: number, options: { login?: boolean; send?: number; rekeys?: number } = {}): Promise<string> {
  const script = `
import paramiko, socket, time
s = socket.create_connection(('127.0.0.1', ${port}))
t = paramiko.Transport(s)
t.start_client()
if ${options.login === false ? 'False' : 'True'}:
    t.auth_password('root', 'xmhdipc')
    ch = t.open_session()
    ch.get_pty()
    ch.invoke_shell()
    try:
        ch.sendall(b'x' * ${options.send ?? 0})
        for _ in range(${options.rekeys ?? 0}):
            t.renegotiate_keys()
    except Exception:
        pass
end = time.time() + 5
while t.is_active() and time.time() < end:
    time.sleep(0.05)
print('ACTIVE', t.is_active())
`;
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/python3', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', () => resolve(out));
  });
}

async function closeOf(options: SshServerOptions, run: (port: number) => Promise<string>): Promise<{ reason: string; limits: string[]; output: string }> {
  const server = await startSshServer(options);
  try {
    const output = await run(server.port);
    await server.settled();
    const events = server.sessions[0]!.events;
    const closes = events.ofType('session.close');
    assert.equal(closes.length, 1, output);
    return { reason: closes[0]!.reason, limits: events.ofType('session.limit').map((l) => l.limit), output };
  } finally {
    await server.close();
  }
}

test('an idle session is closed (idle-timeout)', { skip }, async () => {
  const result = await closeOf({ limits: { idleTimeoutMs: 300 } }, (port) => client(port));
  assert.equal(result.reason, 'idle-timeout');
  assert.match(result.output, /ACTIVE False/);
});

test('a client sending too much is cut (input-bytes)', { skip }, async () => {
  const result = await closeOf({ limits: { maxInputBytes: 64 * 1024 } }, (port) => client(port, { send: 256 * 1024 }));
  assert.equal(result.reason, 'limit');
  assert.deepEqual(result.limits, ['input-bytes']);
});

test('no login within the grace time closes the connection', { skip }, async () => {
  const result = await closeOf({ limits: { loginGraceMs: 300 } }, (port) => client(port, { login: false }));
  assert.equal(result.reason, 'idle-timeout');
  assert.match(result.output, /ACTIVE False/);
});

test('shutdown ends a logged-in session with reason shutdown', { skip }, async () => {
  const listeners = new Set<() => void>();
  const shutdown: ShutdownNotice = {
    stopping: false,
    onStop(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const result = await closeOf({ context: { shutdown } }, async (port) => {
    const running = client(port);
    for (let i = 0; i < 100 && listeners.size === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300)); // logged in and in the shell
    for (const listener of listeners) listener();
    return running;
  });
  assert.equal(result.reason, 'shutdown');
});

test('a KEXINIT flood (key re-exchanges forced again and again) is cut (rekeys)', { skip }, async () => {
  const result = await closeOf({}, (port) => client(port, { rekeys: 40 }));
  assert.equal(result.reason, 'limit');
  assert.deepEqual(result.limits, ['rekeys']);
});
