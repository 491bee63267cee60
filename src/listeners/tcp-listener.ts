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
  /** Listening sockets in the SO_REUSEPORT group (1 = a plain listener). */
  readonly acceptors: number;
  /** Keep writing after the client's FIN (a relay must pass the device's answer to a half-closed client). */
  readonly allowHalfOpen?: boolean;
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

/**
 * libuv accepts one connection per event-loop turn and listening socket; under load a turn is long
 * (every busy session's data is handled in it), so one socket accepted only a few dozen
 * connections a second while thousands waited in the kernel queue and bots timed out before the
 * login prompt. A group of SO_REUSEPORT sockets on the same port multiplies that: the kernel
 * spreads new connections over them (measured: 2,000 pending connects with 20 ms turns take 40 s
 * with one socket, 5.8 s with 8, 1.9 s with 32). Fewer acceptors hold surplus bots in the kernel
 * queue (slower login, faster commands once in); more let every bot in at once (the CPU is then
 * shared by all of them). `connections.acceptors` chooses; docs/deployment.md has the figures.
 */

export async function listenTcp(options: TcpListenerOptions): Promise<ListenResult> {
  // A plain bind first: it fails when anything else holds the port (a reuse-port group alone
  // would silently share the port with another process of the same user) and picks port 0.
  const probe = await bind(options, options.port, false);
  if (!probe.ok) return probe;
  const port = probe.port;
  await closeServer(probe.server);
  const servers: Server[] = [];
  for (let i = 0; i < options.acceptors; i++) {
    const bound = await bind(options, port, true);
    if (!bound.ok) {
      // reusePort unsupported (or the port was taken in between): keep what we have, or report.
      if (servers.length > 0) break;
      return bound;
    }
    servers.push(bound.server);
  }
  return {
    ok: true,
    listener: {
      host: options.host,
      port,
      // Stops accepting at once; waiting for close callbacks would wait for every open session.
      close: () => {
        for (const server of servers) server.close();
        return Promise.resolve();
      },
    },
  };
}

function bind(options: TcpListenerOptions, port: number, reusePort: boolean): Promise<{ ok: true; server: Server; port: number } | { ok: false; code: string; message: string }> {
  const server: Server = createServer({ noDelay: true, allowHalfOpen: options.allowHalfOpen ?? false });
  server.on('connection', (socket) => admit(socket, options));
  return new Promise((resolve) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.close();
      resolve({ ok: false, code: error.code ?? 'UNKNOWN', message: explainBindError(error, options) });
    };
    server.once('error', onError);
    server.listen({ host: options.host, port, backlog: 4096, reusePort }, () => {
      server.off('error', onError);
      // Accept errors (EMFILE under a flood) must not crash the process; the server keeps listening.
      server.on('error', () => undefined);
      const address = server.address();
      resolve({ ok: true, server, port: typeof address === 'object' && address ? address.port : port });
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((done) => server.close(() => done()));
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
