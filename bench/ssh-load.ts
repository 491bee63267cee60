// Load client process for bench/ssh.ts, built on ssh2's Client: full sessions (handshake, password
// login, 5 commands by exec or shell, exit), idle logged-in shells held until told to let go, or
// wrong passwords sent as fast as answers come. Prints one JSON `result` line (plus `held` for idle).
import { createInterface } from 'node:readline';
import ssh2 from 'ssh2';
import type { AuthHandlerMiddleware, ClientChannel } from 'ssh2';

interface LoadRequest {
  readonly mode: 'exec' | 'shell' | 'idle' | 'brute';
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** Connections open at once. */
  readonly concurrency: number;
  /** exec/shell/idle: sessions in all; brute: unused. */
  readonly total: number;
  /** brute: how long to keep trying. */
  readonly durationMs?: number;
  /** Source addresses 127.0.x.y the connections are spread over. */
  readonly sources: number;
  /** Index of this client process, so two processes use different source addresses. */
  readonly part?: number;
}

const request = JSON.parse(process.argv[2] ?? '{}') as LoadRequest;
const sourceAddress = (i: number): string => {
  const n = ((request.part ?? 0) * request.sources + (i % request.sources)) % 60_000;
  return `127.0.${1 + Math.floor(n / 250)}.${1 + (n % 250)}`;
};
/** What a bot runs on a fresh device, one exec (joined with `;`) or five shell lines. */
const commands = ['uname -a', 'cat /proc/cpuinfo', 'free', 'ls -la /tmp', 'ps'];
const emit = (message: object): void => void process.stdout.write(`${JSON.stringify(message)}\n`);

function connect(i: number, options: Omit<ssh2.ConnectConfig, 'host' | 'port'>): ssh2.Client {
  const client = new ssh2.Client();
  client.on('error', () => undefined);
  client.connect({ host: '127.0.0.1', port: request.port, localAddress: sourceAddress(i), readyTimeout: 120_000, keepaliveInterval: 0, ...options });
  // Without it Nagle and delayed ACKs add ~40 ms to each handshake round trip (hachi's listener sets it too).
  client.setNoDelay(true);
  return client;
}

interface Outcome {
  readonly ok: boolean;
  readonly totalMs: number;
  readonly loginMs: number;
  readonly failure?: string;
}

/** One full session; `ok` when the commands' output came back and the server closed the channel. */
function session(i: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    let loginMs = -1;
    let output = '';
    let finished = false;
    const client = connect(i, { username: request.username, password: request.password });
    const done = (ok: boolean, failure?: string): void => {
      if (finished) return;
      finished = true;
      client.end();
      resolve({ ok, totalMs: performance.now() - started, loginMs, ...(failure ? { failure } : {}) });
    };
    client.on('error', (error: Error) => done(false, `error: ${error.message}`));
    client.on('close', () => done(false, `closed before the commands ended (${loginMs < 0 ? 'not logged in' : 'logged in'})`));
    const collect = (err: Error | undefined, stream: ClientChannel): void => {
      if (err) return done(false, `channel: ${err.message}`);
      stream.on('data', (chunk: Buffer) => void (output = (output + chunk.toString('latin1')).slice(-4096)));
      stream.stderr.on('data', () => undefined);
      stream.on('close', () => done(output.includes('PID') || output.includes('Mem'), `output ended with ${JSON.stringify(output.slice(-80))}`));
    };
    client.on('ready', () => {
      loginMs = performance.now() - started;
      if (request.mode === 'exec') client.exec(commands.join('; '), collect);
      else
        client.shell({ term: 'xterm', rows: 24, cols: 80 }, (err, stream) => {
          collect(err, stream);
          if (!err) stream.write(`${commands.join('\n')}\nexit\n`);
        });
    });
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
}

async function sessions(): Promise<void> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < request.total) outcomes.push(await session(next++));
  };
  await Promise.all(Array.from({ length: request.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const ok = outcomes.filter((o) => o.ok);
  const failures = [...new Set(outcomes.filter((o) => !o.ok).map((o) => o.failure))].slice(0, 5);
  emit({ event: 'result', sessions: outcomes.length, ok: ok.length, failed: outcomes.length - ok.length, seconds, p50Ms: percentile(ok.map((o) => o.totalMs), 50), p95Ms: percentile(ok.map((o) => o.totalMs), 95), loginP50Ms: percentile(ok.map((o) => o.loginMs), 50), loginP95Ms: percentile(ok.map((o) => o.loginMs), 95), failures, cpuSeconds: cpu() });
}

/** Logged-in shells at the prompt, held until a `release` line arrives on stdin. */
async function idle(): Promise<void> {
  const open = new Set<ssh2.Client>();
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const one = (i: number): Promise<void> =>
    new Promise((resolve) => {
      const client = connect(i, { username: request.username, password: request.password });
      let held = false;
      client.on('close', () => {
        open.delete(client);
        if (!held) failed++;
        resolve();
      });
      client.on('ready', () =>
        client.shell({ term: 'xterm', rows: 24, cols: 80 }, (err, stream) => {
          if (err) return void client.end();
          stream.on('data', (chunk: Buffer) => {
            if (held || !chunk.toString('latin1').includes('# ')) return;
            held = true;
            open.add(client);
            resolve();
          });
        }),
      );
    });
  const worker = async (): Promise<void> => {
    while (next < request.total) await one(next++);
  };
  await Promise.all(Array.from({ length: request.concurrency }, worker));
  const openSeconds = (performance.now() - started) / 1000;
  emit({ event: 'held', held: open.size, failed, openSeconds });
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => {
    lines.on('line', (line) => line.trim() === 'release' && resolve());
    lines.on('close', () => resolve());
  });
  lines.close();
  const stillOpen = open.size;
  for (const client of open) client.end();
  emit({ event: 'result', held: stillOpen, failed, openSeconds, cpuSeconds: cpu() });
}

/** Wrong passwords on `concurrency` connections; a connection the server hangs up on is reopened. */
async function brute(): Promise<void> {
  let failedLogins = 0;
  let connections = 0;
  let accepted = 0;
  const stopAt = performance.now() + (request.durationMs ?? 10_000);
  const started = performance.now();
  const one = (i: number): Promise<void> =>
    new Promise((resolve) => {
      let sent = 0;
      connections++;
      const authHandler: AuthHandlerMiddleware = () => {
        if (performance.now() >= stopAt) return false;
        sent++;
        return { type: 'password', username: request.username, password: `wrong-${i}-${sent}` };
      };
      const client = connect(i, { username: request.username, authHandler });
      client.on('ready', () => {
        accepted++;
        client.end();
      });
      // Every attempt sent on a connection that never logged in failed (the last one is answered by hanging up).
      client.on('close', () => {
        failedLogins += sent;
        resolve();
      });
    });
  const worker = async (i: number): Promise<void> => {
    while (performance.now() < stopAt) await one(i);
  };
  await Promise.all(Array.from({ length: request.concurrency }, (_, i) => worker(i)));
  const seconds = (performance.now() - started) / 1000;
  emit({ event: 'result', failedLogins, connections, accepted, seconds, failedLoginsPerSecond: Math.round(failedLogins / seconds), cpuSeconds: cpu() });
}

function cpu(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

if (request.mode === 'idle') await idle();
else if (request.mode === 'brute') await brute();
else await sessions();
