// Load client process for bench/telnet.ts: runs Mirai-style bots, idle sessions or a brute force
// against one loopback port, spreading sources over several 127.x addresses, and prints JSON.
import type { Socket } from 'node:net';
import { miraiScript } from './mirai-script.ts';
import { bruteForce, openConnection, runBot, type BotTarget } from './telnet-bot.ts';

interface LoadRequest {
  readonly mode: 'mirai' | 'idle' | 'brute';
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly promptSuffix: string;
  readonly concurrency: number;
  readonly total: number;
  readonly sources: number;
  readonly holdMs?: number;
}

const request = JSON.parse(process.argv[2] ?? '{}') as LoadRequest;
const sourceAddress = (i: number): string => `127.0.${1 + Math.floor((i % request.sources) / 250)}.${1 + ((i % request.sources) % 250)}`;
const target = (i: number): BotTarget => ({
  host: '127.0.0.1',
  port: request.port,
  localAddress: sourceAddress(i),
  username: request.username,
  password: request.password,
  promptSuffix: request.promptSuffix,
  timeoutMs: 30_000,
});

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function mirai(): Promise<object> {
  const steps = miraiScript();
  let next = 0;
  let ok = 0;
  const failures: string[] = [];
  const latencies: number[] = [];
  const logins: number[] = [];
  const connects: number[] = [];
  const totals: number[] = [];
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < request.total) {
      const index = next++;
      const result = await runBot(target(index), steps);
      if (result.ok) ok += 1;
      else if (failures.length < 5) failures.push(result.error ?? 'unknown');
      else failures.push('');
      latencies.push(...result.stepLatenciesMs);
      logins.push(result.loginMs);
      connects.push(result.connectMs);
      totals.push(result.totalMs);
    }
  };
  await Promise.all(Array.from({ length: request.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return {
    sessions: request.total,
    ok,
    failed: request.total - ok,
    firstFailures: failures.filter(Boolean).slice(0, 5),
    seconds,
    sessionsPerSecond: ok / seconds,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    connectP50Ms: percentile(connects, 50),
    connectP95Ms: percentile(connects, 95),
    loginP50Ms: percentile(logins, 50),
    loginP95Ms: percentile(logins, 95),
    sessionP50Ms: percentile(totals, 50),
  };
}

async function idle(): Promise<object> {
  const sockets: Socket[] = [];
  let failed = 0;
  const started = performance.now();
  const batch = 200;
  for (let i = 0; i < request.total; i += batch) {
    const opened = await Promise.allSettled(
      Array.from({ length: Math.min(batch, request.total - i) }, (_, k) => openConnection(target(i + k))),
    );
    for (const result of opened) {
      if (result.status === 'fulfilled') {
        result.value.on('error', () => undefined);
        result.value.on('data', () => undefined);
        sockets.push(result.value);
      } else failed += 1;
    }
  }
  const openSeconds = (performance.now() - started) / 1000;
  process.stdout.write(`${JSON.stringify({ event: 'held', open: sockets.length, failed, openSeconds })}\n`);
  await new Promise((resolve) => setTimeout(resolve, request.holdMs ?? 5000));
  const stillOpen = sockets.filter((s) => !s.destroyed).length;
  for (const socket of sockets) socket.destroy();
  return { open: sockets.length, stillOpen, failed, openSeconds };
}

async function brute(): Promise<object> {
  const perConnection = Math.ceil(request.total / request.concurrency);
  const started = performance.now();
  const counts = await Promise.all(Array.from({ length: request.concurrency }, (_, i) => bruteForce(target(i), perConnection)));
  const seconds = (performance.now() - started) / 1000;
  const failures = counts.reduce((a, b) => a + b, 0);
  return { failedLogins: failures, seconds, failedLoginsPerSecond: failures / seconds };
}

const modes = { mirai, idle, brute } satisfies Record<LoadRequest['mode'], () => Promise<object>>;
const result = await modes[request.mode]();
process.stdout.write(`${JSON.stringify({ event: 'result', ...result })}\n`);
