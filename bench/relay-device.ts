// Device stand-in for bench/relay.ts, in its own process: an echo service (round trips) and a sink
// that counts what it receives and answers with the count when the client half-closes (throughput).
import { createServer, type Socket } from 'node:net';

function listen(name: string, onSocket: (socket: Socket) => void): void {
  const server = createServer({ allowHalfOpen: true }, onSocket);
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${name} listening on 127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`);
  });
}

listen('echo', (socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  socket.pipe(socket);
});

listen('sink', (socket) => {
  let count = 0;
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => (count += chunk.length));
  socket.on('end', () => socket.end(`${count}\n`));
});

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
