// A loopback "slow malware host" for bench/fetch.ts, run as its own process: `/slow/<n>` sends
// headers and then one byte a second until the client gives up (slowloris-like), `/fast/<n>`
// returns 50 KB at once, `/stats` reports what it served. Listens on 127.0.0.1 only.
import { createServer, type ServerResponse } from 'node:http';

const FAST_BODY = Buffer.alloc(50 * 1024, 0x41);
/** Declared length of a slow body: far more than any client will wait for at one byte a second. */
const SLOW_DECLARED = 10 * 1024 * 1024;

function main(): void {
  const slow = new Set<ServerResponse>();
  const stats = { slowStarted: 0, slowEnded: 0, maxSlowAtOnce: 0, fastServed: 0, bytesTrickled: 0 };

  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path.startsWith('/slow/')) {
      stats.slowStarted += 1;
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(SLOW_DECLARED) });
      res.flushHeaders();
      slow.add(res);
      stats.maxSlowAtOnce = Math.max(stats.maxSlowAtOnce, slow.size);
      res.on('close', () => {
        slow.delete(res);
        stats.slowEnded += 1;
      });
      return;
    }
    if (path.startsWith('/fast/')) {
      stats.fastServed += 1;
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(FAST_BODY.length) });
      res.end(FAST_BODY);
      return;
    }
    if (path === '/stats') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ...stats, slowNow: slow.size }));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  // Sockets stay open as long as the client keeps them: only the client's limits end a slow body.
  server.requestTimeout = 0;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 1000;
  server.maxConnections = 20_000;

  // One timer for every slow response: a byte each per second.
  const trickle = setInterval(() => {
    for (const res of slow) {
      res.write('A');
      stats.bytesTrickled += 1;
    }
  }, 1000);

  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    process.stdout.write(`slow-host listening on 127.0.0.1:${port}\n`);
  });

  const stop = (): void => {
    clearInterval(trickle);
    for (const res of slow) res.destroy();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The bench holds our stdin: when it goes away (even killed), so do we.
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main();
