// Test helper: runs the real curl against a loopback TCP server that keeps the exact bytes curl
// sent, answers 200 and closes, and parses those bytes into the core HttpRequest (a small parser
// for well-formed requests with a Content-Length body).
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import type { HeaderList } from '../core/events.ts';
import type { HttpRequest } from '../core/http.ts';

const MAX_CAPTURE = 1024 * 1024;

/** `args` are curl options; `path` ("/x?y") is appended to http://127.0.0.1:<port>. */
export async function captureCurl(args: readonly string[], path: string): Promise<{ readonly bytes: Buffer; readonly request: HttpRequest }> {
  let captured = Buffer.alloc(0);
  const server = createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      captured = Buffer.concat([captured, chunk]).subarray(0, MAX_CAPTURE);
      if (requestComplete(captured)) socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await new Promise<void>((resolve, reject) => {
      execFile('curl', ['-s', '-g', '-o', '/dev/null', '--max-time', '5', ...args, `http://127.0.0.1:${port}${path}`], (error) => (error ? reject(error) : resolve()));
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return { bytes: captured, request: parseRequestBytes(captured) };
}

function requestComplete(bytes: Buffer): boolean {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(bytes.subarray(0, end).toString('latin1'));
  return bytes.length >= end + 4 + (length === null ? 0 : Number(length[1]));
}

/** Parses one complete, well-formed request (what curl sends). */
export function parseRequestBytes(bytes: Buffer): HttpRequest {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) throw new Error('no complete request head');
  const [requestLine = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const [method = '', target = '', version = ''] = requestLine.split(' ');
  const headers: HeaderList = lines.map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()] as const;
  });
  const q = target.indexOf('?');
  const body = new Uint8Array(bytes.subarray(end + 4));
  return {
    seq: 1,
    method,
    target,
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? '' : target.slice(q + 1),
    version,
    headers,
    body,
    bodyBytes: body.length,
    truncated: false,
    raw: null,
    error: null,
    tls: false,
  };
}
