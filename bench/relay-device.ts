// Device stand-in for bench/relay.ts, in its own process: an echo service (round trips) and a sink
// that counts what it receives and answers with the count when the client half-closes (throughput).
import { createServer, type Socket } from 'node:net';

/** Address to listen on (argv[2]): 127.0.0.1, or the device address inside a bench namespace. */
const host = process.argv[2] ?? '127.0.0.1';

function listen(name: string, onSocket: (socket: Socket) => void): void {
  const server = createServer({ allowHalfOpen: true }, onSocket);
  server.listen(0, host, () => {
    const address = server.address();
    process.stdout.write(`${name} listening on ${host}:${typeof address === 'object' && address ? address.port : 0}\n`);
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
