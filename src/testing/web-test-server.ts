// A loopback HTTP server for tests of persona web interfaces: the real wire session (protocols/http)
// with a persona's web responder, no exploit signatures, and every connection's events kept.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { HttpInspector, HttpResponder } from '../core/http.ts';
import { defaultHttpLimits, handleHttp } from '../protocols/http/index.ts';
import { RecordingEmitter } from './recording-emitter.ts';

export interface WebTestServer {
  readonly port: number;
  /** One emitter per connection, in accept order. */
  readonly connections: RecordingEmitter[];
  close(): Promise<void>;
}

const noInspection: HttpInspector = { inspect: () => ({ exploits: [], scanner: null }) };

export async function startWebTestServer(responder: HttpResponder, deviceClass = 'ip-camera', inspector: HttpInspector = noInspection): Promise<WebTestServer> {
  const connections: RecordingEmitter[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const events = new RecordingEmitter();
    connections.push(events);
    void handleHttp(socket, {
      events,
      responder,
      inspector,
      deviceClass,
      src: { ip: socket.remoteAddress ?? '127.0.0.1', port: socket.remotePort ?? 0 },
      dst: { ip: '127.0.0.1', port: socket.localPort ?? 0 },
      tls: false,
      clock: { now: () => Date.now() },
      limits: { ...defaultHttpLimits, idleTimeoutMs: 10_000 },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

/** Sends raw bytes and reads until the server closes (or `timeoutMs`): for byte-exact checks. */
export function rawExchange(port: number, request: string | Uint8Array, timeoutMs = 3000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}
