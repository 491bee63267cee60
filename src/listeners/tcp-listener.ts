// Binds one TCP service, admits connections through the shared gate and hands accepted sockets on.
// A port that cannot be bound is returned as a result (not thrown) so other services keep running.
import { createServer, type Server, type Socket } from 'node:net';
import type { Endpoint, LimitName } from '../core/events.ts';
import type { ConnectionGate } from './connection-gate.ts';

export interface RefusedConnection {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly limit: LimitName;
  readonly max: number;
}

export interface TcpListenerOptions {
  readonly host: string;
  readonly port: number;
  readonly gate: ConnectionGate;
  /** Called for each admitted socket; the socket's close releases its slot. */
  readonly onConnection: (socket: Socket, src: Endpoint, dst: Endpoint) => void;
  readonly onRefused: (refused: RefusedConnection) => void;
}

export interface TcpListener {
  readonly host: string;
  readonly port: number;
  /** Stops accepting; open sockets are left to their sessions. */
  close(): Promise<void>;
}

export type ListenResult = { ok: true; listener: TcpListener } | { ok: false; code: string; message: string };

export function endpointOf(address: string | undefined, port: number | undefined): Endpoint {
  // Present IPv4-mapped IPv6 addresses as plain IPv4, as analysts expect.
  const ip = (address ?? '').startsWith('::ffff:') ? (address ?? '').slice(7) : (address ?? '');
  return { ip, port: port ?? 0 };
}

export function listenTcp(options: TcpListenerOptions): Promise<ListenResult> {
  const server: Server = createServer({ noDelay: true, pauseOnConnect: false });
  server.on('connection', (socket) => admit(socket, options));
  // Accept errors (EMFILE under a flood) must not crash the process; the server keeps listening.
  server.on('error', () => undefined);
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.close();
      resolve({ ok: false, code: error.code ?? 'UNKNOWN', message: explainBindError(error, options) });
    };
    server.once('error', onError);
    server.listen({ host: options.host, port: options.port, backlog: 4096 }, () => {
      server.off('error', onError);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      resolve({
        ok: true,
        listener: {
          host: options.host,
          port,
          close: () => new Promise<void>((done) => server.close(() => done())),
        },
      });
    });
  });
}

function admit(socket: Socket, options: TcpListenerOptions): void {
  const src = endpointOf(socket.remoteAddress, socket.remotePort);
  const dst = endpointOf(socket.localAddress, socket.localPort);
  socket.on('error', () => undefined);
  const slot = options.gate.acquire(src.ip);
  if (!slot.ok) {
    socket.destroy();
    options.onRefused({ src, dst, limit: slot.limit, max: slot.max });
    return;
  }
  socket.once('close', () => options.gate.release(src.ip));
  options.onConnection(socket, src, dst);
}

function explainBindError(error: NodeJS.ErrnoException, options: { host: string; port: number }): string {
  const where = `${options.host}:${options.port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `${where} is already in use by another process`;
    case 'EACCES':
      return `${where}: permission denied (ports below 1024 need root, CAP_NET_BIND_SERVICE or a redirect: see docs/deployment.md)`;
    case 'EADDRNOTAVAIL':
      return `${where}: the address is not on this machine`;
    default:
      return `${where}: ${error.message}`;
  }
}
