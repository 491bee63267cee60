// A loopback HTTP server standing in for a malware host in tests: fixed files, redirects, and the
// faults a hostile host can produce (endless bodies, stalls, redirect loops, lying lengths).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface PayloadServer {
  readonly port: number;
  readonly url: (path: string) => string;
  /** Requests seen, in order (path and User-Agent). */
  readonly requests: { readonly path: string; readonly userAgent: string }[];
  close(): Promise<void>;
}

export async function startPayloadServer(routes: Readonly<Record<string, Route | Uint8Array | string>>): Promise<PayloadServer> {
  const requests: { path: string; userAgent: string }[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ path, userAgent: String(req.headers['user-agent'] ?? '') });
    const route = routes[path];
    if (route === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    } else if (typeof route === 'function') {
      route(req, res);
    } else {
      const body = typeof route === 'string' ? Buffer.from(route) : route;
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length }).end(body);
    }
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Sends `chunk` forever (until the client goes away). */
export const endlessBody =
  (chunk = Buffer.alloc(64 * 1024, 0x41)): Route =>
  (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  };

/** Sends the status line and headers, then nothing. */
export const stallAfterHeaders: Route = (_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': '1000' });
  res.flushHeaders();
};

export const redirectTo =
  (location: string, status = 302): Route =>
  (_req, res) => {
    res.writeHead(status, { Location: location }).end();
  };
