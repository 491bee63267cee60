// Telnet benchmark: Mirai-style sessions/s at high concurrency, idle sessions held and their
// memory, and failed logins/s; with a bare TCP responder as the baseline in the same run.
// Run: `npx node bench/telnet.ts [--quick]`. Each server and the load client are separate
// processes started with the soft open-file limit raised to the hard one (`ulimit -n $(ulimit -Hn)`).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

const root = new URL('../', import.meta.url).pathname;
const quick = process.argv.includes('--quick');
/** `--brute-only`: just the failed-logins figure, on a fresh process (for iterating on it). */
const bruteOnly = process.argv.includes('--brute-only');
const node = process.execPath;

interface Server {
  readonly child: ChildProcess;
  readonly ports: Map<string, number>;
  readonly stop: () => Promise<void>;
}

/** Starts a process with a raised open-file limit and waits for its "listening on" lines. */
async function startServer(args: string[], names: string[]): Promise<Server> {
  const command = `ulimit -n $(ulimit -Hn); exec "${node}" ${args.map((a) => `'${a}'`).join(' ')}`;
  const child = spawn('sh', ['-c', command], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ports = new Map<string, number>();
  const deadline = Date.now() + 30_000;
  while (ports.size < names.length) {
    for (const name of names) {
      const match = new RegExp(`${name === '' ? '' : `${name}\\s.*`}listening on [^\\s]*:(\\d+)`).exec(output);
      if (match) ports.set(name, Number(match[1]));
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    child,
    ports,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** User plus system CPU seconds of a process, all its threads. */
async function cpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Waits until the process has used under 5% of a core for half a second (its sinks caught up). */
async function settle(pid: number, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  let last = await cpuSeconds(pid);
  while (performance.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await cpuSeconds(pid);
    if (now - last < 0.025) break;
    last = now;
  }
  return (performance.now() - started) / 1000;
}

interface LoadResult {
  readonly [key: string]: unknown;
}

async function load(request: Record<string, unknown>, onHeld?: () => Promise<void>): Promise<LoadResult> {
  const command = `ulimit -n $(ulimit -Hn); exec "${node}" bench/telnet-load.ts '${JSON.stringify(request)}'`;
  const child = spawn('sh', ['-c', command], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let buffer = '';
  let result: LoadResult | null = null;
  const lines: Promise<void>[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const message = JSON.parse(buffer.slice(0, newline)) as { event: string } & LoadResult;
      buffer = buffer.slice(newline + 1);
      if (message.event === 'held' && onHeld) lines.push(onHeld());
      if (message.event === 'result') result = message;
      newline = buffer.indexOf('\n');
    }
  });
  await new Promise((resolve) => child.on('exit', resolve));
  await Promise.all(lines);
  if (!result) throw new Error('load client gave no result');
  return result;
}

/** The same Mirai run with 32 acceptors: every bot is let in at once instead of waiting in the kernel queue. */
async function allBotsAdmitted(dataDir: string, request: Record<string, unknown>, baseline: number): Promise<string[]> {
  const config = {
    sensor: 'bench-admit',
    services: [{ name: 'camera', protocol: 'telnet', host: '127.0.0.1', port: 0, persona: 'xm-ipc-hi3516d' }],
    connections: { perSource: 2000, total: 19_000, acceptors: 32 },
  };
  await writeFile(join(dataDir, 'admit.yaml'), stringify(config));
  const hachi = await startServer(['src/cli/main.ts', 'run', '--config', join(dataDir, 'admit.yaml'), '--data', join(dataDir, 'admit')], ['camera']);
  try {
    const r = await loadSplit({ ...request, port: hachi.ports.get('camera')! });
    const ratio = (Number(r.sessionsPerSecond) / baseline) * 100;
    return [
      'hachi: same, acceptors 32 (all bots admitted)',
      `${num(r.sessionsPerSecond)} sessions/s`,
      `${num(r.ok)}/${num(r.sessions)} ok, login p50 ${num(r.loginP50Ms)} ms`,
      `p50 ${num(r.p50Ms, 1)} / p95 ${num(r.p95Ms, 1)} ms/step`,
      `${ratio.toFixed(0)}%`,
    ];
  } finally {
    await hachi.stop();
  }
}

/** Idle logged-out sessions held by a fresh hachi process: RSS before and while they are held. */
async function idleSessions(dataDir: string, count: number): Promise<string[]> {
  const config = {
    sensor: 'bench-idle',
    services: [{ name: 'camera', protocol: 'telnet', host: '127.0.0.1', port: 0, persona: 'xm-ipc-hi3516d' }],
    connections: { perSource: 2000, total: 19_000 },
    sessions: { idleTimeoutMs: 600_000 },
  };
  const idleDir = join(dataDir, 'idle');
  await writeFile(join(dataDir, 'idle.yaml'), stringify(config));
  const hachi = await startServer(['src/cli/main.ts', 'run', '--config', join(dataDir, 'idle.yaml'), '--data', idleDir], ['camera']);
  const pid = hachi.child.pid!;
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const startRss = await rssMiB(pid);
    let heldRss = 0;
    const idle = await load(
      { mode: 'idle', port: hachi.ports.get('camera')!, username: 'root', password: 'xc3511', promptSuffix: '# ', concurrency: 1, total: count, sources: 100, holdMs: 4000 },
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        heldRss = await rssMiB(pid);
      },
    );
    const held = Number(idle.stillOpen);
    const perSessionKiB = ((heldRss - startRss) * 1024) / Math.max(1, held);
    return [`hachi: idle sessions held (fresh process)`, `${held} held`, `RSS ${heldRss.toFixed(0)} MiB (idle process ${startRss.toFixed(0)})`, `${perSessionKiB.toFixed(1)} KiB/session`, `${num(idle.openSeconds, 1)} s to open`];
  } finally {
    await hachi.stop();
  }
}

/**
 * The Mirai load from two client processes, half the bots each: one process driving 1,000 bots
 * measured its own event loop too (p95 28-42 ms against the canned responder alone).
 * Rates add up; p95 figures are the worse of the two, p50 figures their mean.
 */
async function loadSplit(request: Record<string, unknown>, parts = 2): Promise<LoadResult> {
  const share = (key: string): number => Math.ceil(Number(request[key]) / parts);
  const results = await Promise.all(Array.from({ length: parts }, () => load({ ...request, concurrency: share('concurrency'), total: share('total'), sources: share('sources') })));
  const values = (key: string): number[] => results.map((r) => Number(r[key]));
  const sum = (key: string): number => values(key).reduce((a, b) => a + b, 0);
  const mean = (key: string): number => sum(key) / parts;
  const max = (key: string): number => Math.max(...values(key));
  const seconds = max('seconds');
  return {
    sessions: sum('sessions'),
    ok: sum('ok'),
    seconds,
    sessionsPerSecond: sum('ok') / seconds,
    p50Ms: mean('p50Ms'),
    p95Ms: max('p95Ms'),
    loginP50Ms: mean('loginP50Ms'),
    loginP95Ms: max('loginP95Ms'),
    firstFailures: results.flatMap((r) => (Array.isArray(r.firstFailures) ? (r.firstFailures as unknown[]) : [])),
  };
}

const num = (value: unknown, digits = 0): string => (typeof value === 'number' ? value.toFixed(digits) : String(value));

async function bruteOnlyRun(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hachi-bench-'));
  const config = { sensor: 'bench', services: [{ name: 'brute', protocol: 'telnet', host: '127.0.0.1', port: 0, persona: 'xm-ipc-hi3516d', loginFailureDelayMs: 0 }] };
  await writeFile(join(dataDir, 'bench.yaml'), stringify(config));
  const hachi = await startServer(['src/cli/main.ts', 'run', '--config', join(dataDir, 'bench.yaml'), '--data', dataDir], ['brute']);
  try {
    for (let run = 1; run <= 5; run++) {
      const cpuBefore = await cpuSeconds(hachi.child.pid!);
      // The Mirai run's events and recordings are still being written: measure on a quiet process.
    await settle(hachi.child.pid!);
    const brute = await load({ mode: 'brute', port: hachi.ports.get('brute')!, username: 'root', password: 'x', promptSuffix: '# ', concurrency: 50, total: 30000, sources: 50 });
      const serverCpu = (await cpuSeconds(hachi.child.pid!)) - cpuBefore;
      console.log(`run ${run}: ${num(brute.failedLoginsPerSecond)} failed logins/s (${num(brute.failedLogins)} failed logins, ${num(brute.seconds, 2)} s; server CPU ${serverCpu.toFixed(2)} s = ${((serverCpu * 1e6) / Number(brute.failedLogins)).toFixed(0)} µs/login)`);
    }
  } finally {
    await hachi.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sessions = quick ? 1500 : 6000;
  const concurrency = 1000;
  const idleSessionsWanted = quick ? 3000 : 15000;
  const miraiRequest = { mode: 'mirai', username: 'root', password: 'xc3511', promptSuffix: '# ', concurrency, total: sessions, sources: 200 };
  const rows: string[][] = [];
  if (bruteOnly) return bruteOnlyRun();

  const baseline = await startServer(['bench/baseline-responder.ts'], ['']);
  const base = await loadSplit({ ...miraiRequest, port: baseline.ports.get('')! });
  await baseline.stop();
  rows.push(['baseline responder: Mirai script', `${num(base.sessionsPerSecond)} sessions/s`, `${num(base.ok)}/${sessions} ok`, `p50 ${num(base.p50Ms, 1)} / p95 ${num(base.p95Ms, 1)} ms/step`, '100%']);

  const dataDir = await mkdtemp(join(tmpdir(), 'hachi-bench-'));
  const config = {
    sensor: 'bench',
    services: [
      { name: 'camera', protocol: 'telnet', host: '127.0.0.1', port: 0, persona: 'xm-ipc-hi3516d' },
      { name: 'brute', protocol: 'telnet', host: '127.0.0.1', port: 0, persona: 'xm-ipc-hi3516d', loginFailureDelayMs: 0 },
    ],
    connections: { perSource: 2000, total: 19_000 },
    sessions: { idleTimeoutMs: 600_000 },
  };
  await writeFile(join(dataDir, 'bench.yaml'), stringify(config));
  const hachi = await startServer(['src/cli/main.ts', 'run', '--config', join(dataDir, 'bench.yaml'), '--data', dataDir], ['camera', 'brute']);
  const pid = hachi.child.pid!;
  try {
    const startRss = await rssMiB(pid);
    const mirai = await loadSplit({ ...miraiRequest, port: hachi.ports.get('camera')! });
    const afterRss = await rssMiB(pid);
    const ratio = (Number(mirai.sessionsPerSecond) / Number(base.sessionsPerSecond)) * 100;
    rows.push(['hachi: Mirai script, 1,000 concurrent', `${num(mirai.sessionsPerSecond)} sessions/s`, `${num(mirai.ok)}/${sessions} ok`, `p50 ${num(mirai.p50Ms, 1)} / p95 ${num(mirai.p95Ms, 1)} ms/step`, `${ratio.toFixed(0)}%`]);
    rows.push(['hachi: connect to shell prompt (same run)', `login p50 ${num(mirai.loginP50Ms)} ms`, `p95 ${num(mirai.loginP95Ms)} ms`, `RSS ${startRss.toFixed(0)} -> ${afterRss.toFixed(0)} MiB`, '']);
    if (Array.isArray(mirai.firstFailures) && mirai.firstFailures.length > 0) console.error('first failures:', mirai.firstFailures);

    const brute = await load({ mode: 'brute', port: hachi.ports.get('brute')!, username: 'root', password: 'x', promptSuffix: '# ', concurrency: 50, total: quick ? 5000 : 30000, sources: 50 });
    rows.push(['hachi: failed logins, 50 connections, delay 0', `${num(brute.failedLoginsPerSecond)} logins/s`, `${num(brute.failedLogins)} failed logins`, '', '']);

  } finally {
    await hachi.stop();
  }

  rows.push(await allBotsAdmitted(dataDir, miraiRequest, Number(base.sessionsPerSecond)));
  rows.push(await idleSessions(dataDir, idleSessionsWanted));
  await rm(dataDir, { recursive: true, force: true });

  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`\nTelnet benchmark (${quick ? 'quick' : 'full'}; ${new Date().toISOString()}; node ${process.version}; open-file limit raised to the hard limit)`);
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  |  '));
}

await main();
