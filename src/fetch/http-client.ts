// One HTTP or HTTPS GET to an address the guard accepted, with the URL's host in Host/SNI. No
// redirects here (the fetcher re-checks each hop), no decompression, no keep-alive, hard limits.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TransferLimits, TransferResult, TransferTarget } from './transfer.ts';

export interface HttpGetOptions {
  readonly url: URL;
  readonly target: TransferTarget;
  readonly limits: TransferLimits;
  /** Sent as the device's tool would (BusyBox wget says `Wget`). */
  readonly userAgent: string;
  /** Largest response head accepted (status line and headers). */
  readonly maxHeaderBytes?: number;
  readonly signal?: AbortSignal;
}

export interface HttpResult extends TransferResult {
  /** The Location header of a 3xx answer. */
  readonly location: string | null;
  /** Status line as the server sent it (`HTTP/1.1 404 Not Found`), for the device's error message. */
  readonly statusLine: string | null;
}

export function httpGet(options: HttpGetOptions): Promise<HttpResult> {
  const { url, target, limits } = options;
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const chunks: Uint8Array[] = [];
    let received = 0;
    let status: string | null = null;
    let statusLine: string | null = null;
    let location: string | null = null;
    const finish = (outcome: TransferResult['outcome'], detail: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(overall);
      options.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      const body = outcome === 'ok' || outcome === 'too-large' || outcome === 'server-error' ? concat(chunks, received) : null;
      resolve({ outcome, status, body, bytes: received, detail, location, statusLine });
    };
    const onAbort = (): void => finish('error', 'aborted');
    const overall = setTimeout(() => finish('timeout', `no complete answer within ${limits.timeoutMs} ms`), limits.timeoutMs);

    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const req = request({
      host: target.address,
      port: target.port,
      method: 'GET',
      path: `${url.pathname}${url.search}`,
      agent: false,
      maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024,
      headers: { Host: url.host, 'User-Agent': options.userAgent, Accept: '*/*', Connection: 'close' },
      // Malware hosts use self-signed or mismatched certificates; the payload is what matters.
      rejectUnauthorized: false,
      ...(url.protocol === 'https:' && host !== '' && !/^[\d.]+$|:/.test(host) ? { servername: host } : {}),
    });
    req.setTimeout(limits.stallMs, () => finish('stalled', `no data for ${limits.stallMs} ms`));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') finish('refused', 'connection refused');
      else if (error.code === 'HPE_HEADER_OVERFLOW') finish('protocol-error', 'response head too large');
      else if (error.code?.startsWith('HPE_')) finish('protocol-error', `malformed response (${error.code})`);
      else if (error.code === 'ECONNRESET' && status === null) finish('refused', 'connection reset before any reply');
      else finish('error', error.code ?? error.message);
    });
    req.on('response', (res: IncomingMessage) => {
      status = String(res.statusCode ?? 0);
      statusLine = `HTTP/${res.httpVersion} ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trimEnd();
      const code = res.statusCode ?? 0;
      if (code >= 300 && code < 400) {
        location = typeof res.headers.location === 'string' ? res.headers.location.slice(0, 4096) : null;
        res.resume();
        return finish('ok', `redirect ${code}`);
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > limits.maxBytes) return finish('too-large', `declared ${declared} bytes, more than ${limits.maxBytes}`);
      res.on('data', (chunk: Buffer) => {
        const room = limits.maxBytes - received;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          received += chunk.length;
          return finish('too-large', `more than ${limits.maxBytes} bytes`);
        }
        chunks.push(chunk);
        received += chunk.length;
      });
      res.on('end', () => finish(code >= 400 ? 'server-error' : 'ok', `${code} in ${Date.now() - started} ms`));
      res.on('error', () => finish('error', 'response aborted'));
    });
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.end();
  });
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(Math.min(total, chunks.reduce((n, c) => n + c.length, 0)));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk.subarray(0, out.length - at), at);
    at += chunk.length;
    if (at >= out.length) break;
  }
  return out;
}
