// Baseline for the SSH benchmark: a bare ssh2 Server with the camera's algorithm lists and host key
// types that logs in the one password at once and answers exec and shell with a canned line (no
// shell, no events, no recording). Its rate is what the ssh2 library itself costs on this machine.
import { createServer } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection } from 'ssh2';

const password = process.argv[2] ?? 'xc3511';
/** Failed logins before hanging up, as the emulated service's default (MaxAuthTries 6). */
const maxAttempts = 6;
const canned = 'Linux baseline 3.10.0 armv7l GNU/Linux\r\nMem: 1 2 3\r\n  PID USER COMMAND\r\n';
const { generateKeyPairSync } = ssh2.utils;
const hostKeys = [generateKeyPairSync('ecdsa', { bits: 256 }).private, generateKeyPairSync('rsa', { bits: 2048 }).private];

const onConnection = (conn: Connection): void => {
  conn.on('error', () => undefined);
  let failures = 0;
  conn.on('authentication', (auth) => {
    if (auth.method !== 'password') return auth.reject(['publickey', 'password']);
    if (auth.password === password) return auth.accept();
    if (++failures >= maxAttempts) return conn.end();
    auth.reject(['publickey', 'password']);
  });
  conn.on('session', (accept) => {
    const session = accept();
    session.on('pty', (ok) => ok?.());
    session.on('window-change', (ok) => ok?.());
    session.on('exec', (ok) => {
      const channel = ok();
      channel.write(canned);
      channel.exit(0);
      channel.end();
    });
    session.on('shell', (ok) => {
      const channel = ok();
      channel.write('# ');
      let pending = '';
      channel.on('data', (chunk: Buffer) => {
        pending += chunk.toString('latin1');
        for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (line === 'exit') {
            channel.exit(0);
            channel.end();
            return;
          }
          channel.write(`${canned}# `);
        }
      });
    });
  });
};

const server = new ssh2.Server(
  {
    hostKeys,
    ident: 'dropbear_2019.78',
    algorithms: {
      kex: ['curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp521', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp256', 'diffie-hellman-group14-sha256', 'diffie-hellman-group14-sha1'],
      serverHostKey: ['ecdsa-sha2-nistp256', 'ssh-rsa'],
      cipher: ['aes128-ctr', 'aes256-ctr', 'aes128-cbc', 'aes256-cbc', '3des-cbc'],
      hmac: ['hmac-sha1-96', 'hmac-sha1', 'hmac-sha2-256'],
      compress: ['zlib@openssh.com', 'none'],
    },
  },
  onConnection,
);
// Sockets with Nagle off, as hachi's listener makes them, handed to ssh2 the way hachi does.
const listener = createServer({ noDelay: true }, (socket) => server.injectSocket(socket));
listener.listen(0, '127.0.0.1', () => {
  const address = listener.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`baseline ssh listening on 127.0.0.1:${port}\n`);
});
