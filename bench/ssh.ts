// SSH benchmark: full sessions/s at 500 concurrent clients (handshake, password login, 5 commands,
// exit) on the camera (dropbear profile) and the hub (OpenSSH profile), failed logins/s on 50
// connections with the failure delay 0, and idle logged-in shells held with their memory; a bare
// ssh2 Server as the baseline in the same run. Run: `npx node bench/ssh.ts [--quick]`.
// hachi, the baseline and the ssh2 load clients (bench/ssh-load.ts) are separate processes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { cpuSeconds, ProcessGroup, rssMiB, type Server } from './bench-processes.ts';

const quick = process.argv.includes('--quick');
const concurrency = 500;
const sessionsPerRun = quick ? 1000 : 4000;
const idleWanted = quick ? 500 : 2000;
const bruteMs = quick ? 4000 : 10_000;
/** Load client processes: client-side crypto costs as much as the server's, one process is not enough. */
const clientParts = 2;
const group = new ProcessGroup();
type Result = Record<string, unknown>;
const num = (value: unknown, digits = 0): string => (typeof value === 'number' ? value.toFixed(digits) : String(value));

/** Waits until the process has used under 5% of a core for half a second (its sinks caught up). */
async function settle(pid: number, timeoutMs = 30_000): Promise<void> {
  const started = performance.now();
  let last = await cpuSeconds(pid);
  while (performance.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await cpuSeconds(pid);
    if (now - last < 0.025) return;
    last = now;
  }
}

/** Runs the load split over the client processes; counts add up, p95 is the worse, p50 the mean. */
async function load(request: Result, parts = clientParts, onHeld?: (results: Result[]) => Promise<void>): Promise<Result> {
  const share = (key: string): number => Math.ceil(Number(request[key] ?? 0) / parts);
  const held: Result[] = [];
  const runs = Array.from({ length: parts }, (_, part) => {
    const run = group.client('bench/ssh-load.ts', { ...request, part, concurrency: share('concurrency'), total: share('total'), sources: share('sources') }, (message) => {
      if (message.event !== 'held') return;
      held.push(message);
      if (held.length === parts) void (onHeld ? onHeld(held) : Promise.resolve()).then(() => runs.forEach((r) => r.tell('release')));
    });
    return run;
  });
  const results = await Promise.all(runs.map((r) => r.result));
  const values = (key: string): number[] => results.map((r) => Number(r[key] ?? 0));
  const sum = (key: string): number => values(key).reduce((a, b) => a + b, 0);
  const seconds = Math.max(...values('seconds'));
  return {
    ...Object.fromEntries(['sessions', 'ok', 'failed', 'failedLogins', 'connections', 'accepted', 'held', 'cpuSeconds'].map((k) => [k, sum(k)])),
    seconds,
    openSeconds: Math.max(...values('openSeconds')),
    sessionsPerSecond: sum('ok') / seconds,
    failedLoginsPerSecond: sum('failedLogins') / seconds,
    p50Ms: sum('p50Ms') / parts,
    p95Ms: Math.max(...values('p95Ms')),
    loginP50Ms: sum('loginP50Ms') / parts,
    loginP95Ms: Math.max(...values('loginP95Ms')),
    failures: results.flatMap((r) => (Array.isArray(r.failures) ? (r.failures as unknown[]) : [])),
  };
}

/** One load against a server, with the server's CPU and RSS over it. */
async function measured(server: Server, request: Result): Promise<{ r: Result; cpu: number; rss: number }> {
  const pid = server.child.pid!;
  await settle(pid);
  const before = await cpuSeconds(pid);
  const r = await load(request);
  const cpu = (await cpuSeconds(pid)) - before;
  if (Array.isArray(r.failures) && r.failures.length > 0) console.error('first failures:', r.failures.slice(0, 5));
  return { r, cpu, rss: await rssMiB(pid) };
}

/** CPU seconds over the run's wall time: how much of the machine's 2 cores a side used. */
const cores = (cpu: number, r: Result): string => (cpu / Math.max(0.001, Number(r.seconds))).toFixed(2);

const sessionRow = (label: string, m: { r: Result; cpu: number; rss: number }, baseline?: number): string[] => [
  label,
  `${num(m.r.sessionsPerSecond)} sessions/s`,
  `${num(m.r.ok)} ok / ${num(m.r.failed)} failed`,
  `login p50 ${num(m.r.loginP50Ms)} / p95 ${num(m.r.loginP95Ms)} ms, session p95 ${num(m.r.p95Ms)} ms`,
  `server CPU ${((m.cpu * 1000) / Math.max(1, Number(m.r.ok))).toFixed(2)} ms/session (${cores(m.cpu, m.r)} cores), clients ${((Number(m.r.cpuSeconds) * 1000) / Math.max(1, Number(m.r.ok))).toFixed(2)} ms/session (${cores(Number(m.r.cpuSeconds), m.r)} cores); RSS ${m.rss.toFixed(0)} MiB`,
  baseline ? `${((Number(m.r.sessionsPerSecond) / baseline) * 100).toFixed(0)}%` : '100%',
];

const bruteRow = (label: string, m: { r: Result; cpu: number; rss: number }): string[] => [
  label,
  `${num(m.r.failedLoginsPerSecond)} failed logins/s`,
  `${num(m.r.failedLogins)} in ${num(m.r.seconds, 1)} s, ${num(m.r.connections)} connections, ${num(m.r.accepted)} accepted`,
  `server CPU ${((m.cpu * 1e6) / Math.max(1, Number(m.r.failedLogins))).toFixed(0)} µs/attempt (${cores(m.cpu, m.r)} cores)`,
  `clients ${((Number(m.r.cpuSeconds) * 1e6) / Math.max(1, Number(m.r.failedLogins))).toFixed(0)} µs/attempt (${cores(Number(m.r.cpuSeconds), m.r)} cores); RSS ${m.rss.toFixed(0)} MiB`,
  '',
];

function hachiConfig(sensor: string): object {
  const service = (name: string, persona: string): object => ({ name, protocol: 'ssh', host: '127.0.0.1', port: 0, persona, loginFailureDelayMs: 0 });
  return {
    sensor,
    services: [service('camera', 'xm-ipc-hi3516d'), service('hub', 'rk3308-smart-hub')],
    connections: { perSource: 5000, total: 19_000 },
    sessions: { idleTimeoutMs: 600_000 },
  };
}

async function startHachi(dataDir: string, name: string): Promise<Server> {
  const config = join(dataDir, `${name}.yaml`);
  await writeFile(config, stringify(hachiConfig(`bench-${name}`)));
  return group.startServer(['src/cli/main.ts', 'run', '--config', config, '--data', join(dataDir, name)], ['camera', 'hub']);
}

/** Idle logged-in shells held by a fresh hachi process: RSS before and while they are held. */
async function idleRow(dataDir: string): Promise<string[]> {
  const hachi = await startHachi(dataDir, 'idle');
  const pid = hachi.child.pid!;
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const startRss = await rssMiB(pid);
    let heldRss = 0;
    const request = { mode: 'idle', port: hachi.ports.get('camera')!, username: 'root', password: 'xc3511', concurrency: 100, total: idleWanted, sources: 100 };
    const r = await load(request, clientParts, async () => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      heldRss = await rssMiB(pid);
    });
    const held = Number(r.held);
    return [
      'hachi camera: idle logged-in shells (fresh process)',
      `${held} held`,
      `${num(r.failed)} failed, ${num(r.openSeconds, 1)} s to open`,
      `RSS ${heldRss.toFixed(0)} MiB (idle process ${startRss.toFixed(0)} MiB)`,
      `${(((heldRss - startRss) * 1024) / Math.max(1, held)).toFixed(1)} KiB/session`,
      '',
    ];
  } finally {
    await hachi.stop();
  }
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  const exec = { mode: 'exec', username: 'root', password: 'xc3511', concurrency, total: sessionsPerRun, sources: 200 };
  const brute = { mode: 'brute', username: 'root', password: 'x', concurrency: 50, total: 0, durationMs: bruteMs, sources: 50 };
  const dataDir = await mkdtemp(join(tmpdir(), 'hachi-bench-ssh-'));
  try {
    const baseline = await group.startServer(['bench/ssh-baseline.ts', 'xc3511'], ['baseline']);
    const baseSessions = await measured(baseline, { ...exec, port: baseline.ports.get('baseline')! });
    rows.push(sessionRow('baseline ssh2 Server: exec, 500 concurrent', baseSessions));
    const baseBrute = await measured(baseline, { ...brute, port: baseline.ports.get('baseline')! });
    await baseline.stop();
    const baseRate = Number(baseSessions.r.sessionsPerSecond);

    const hachi = await startHachi(dataDir, 'run');
    const camera = hachi.ports.get('camera')!;
    rows.push(sessionRow('hachi camera (dropbear): exec, 500 concurrent', await measured(hachi, { ...exec, port: camera }), baseRate));
    rows.push(sessionRow('hachi camera (dropbear): shell, 5 lines + exit', await measured(hachi, { ...exec, mode: 'shell', port: camera }), baseRate));
    rows.push(sessionRow('hachi hub (OpenSSH 7.4): exec, 500 concurrent', await measured(hachi, { ...exec, password: 'rockchip', port: hachi.ports.get('hub')! }), baseRate));
    rows.push(bruteRow('baseline ssh2 Server: wrong passwords, 50 conns', baseBrute));
    rows.push(bruteRow('hachi camera: wrong passwords, 50 conns, delay 0', await measured(hachi, { ...brute, port: camera })));
    await hachi.stop();

    rows.push(await idleRow(dataDir));
  } finally {
    group.killAll();
    await rm(dataDir, { recursive: true, force: true });
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`\nSSH benchmark (${quick ? 'quick' : 'full'}; ${new Date().toISOString()}; node ${process.version}; ${clientParts} ssh2 client processes; 6 attempts per connection)`);
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  |  ').trimEnd());
}

await main();
