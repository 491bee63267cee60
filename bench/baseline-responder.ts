// Baseline for the Telnet benchmark: a bare TCP responder that answers the same bot script with
// canned replies (no Telnet codec, no shell, no events). Its rate is this machine's ceiling.
import { createServer } from 'node:net';

const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  let stage: 'user' | 'password' | 'shell' = 'user';
  let pending = '';
  socket.write('\r\nbaseline login: ');
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString('latin1');
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline).replace(/\r$/, '');
      pending = pending.slice(newline + 1);
      if (stage === 'user') {
        stage = 'password';
        socket.write('Password: ');
      } else if (stage === 'password') {
        stage = 'shell';
        socket.write('\r\n# ');
      } else if (line === 'exit') {
        socket.end();
      } else {
        const marker = /busybox ([A-Z]{5})\s*$/.exec(line)?.[1] ?? 'ECCHI';
        socket.write(`${marker}: applet not found\r\n# `);
      }
      newline = pending.indexOf('\n');
    }
  });
});

server.listen({ host: '127.0.0.1', port: 0 }, () => {
  const address = server.address();
  if (address && typeof address === 'object') process.stdout.write(`listening on 127.0.0.1:${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
