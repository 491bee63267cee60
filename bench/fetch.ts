// Fetch isolation benchmark: do 1,000 held sessions whose wgets all hit a slowloris host slow
// down everyone else's commands? Phase A is the Mirai-style load alone, phase B the same load
// while the slow sessions are held open; the target is p95 < 50 ms per command in phase B.
// Run: `npx node bench/fetch.ts [--quick]`. Every process (slow host, hachi, clients) is separate.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { stringify } from 'yaml';
import { cpuSeconds, ProcessGroup, rssMiB, type Server } from './bench-processes.ts';

const quick = process.argv.includes('--quick');
const TARGET_P95_MS = 50;
const sizes = quick
  ? { miraiConcurrency: 100, miraiSessions: 600, slowBots: 200, timeoutMs: 20_000 }
  : { miraiConcurrency: 200, miraiSessions: 2000, slowBots: 1000, timeoutMs: 60_000 };
const fetchConfig = {
  allow: ['127.0.0.1/32'],
  sessionWaitMs: 3000,
  timeoutMs: sizes.timeoutMs,
  stallMs: 15_000,
  // Every slow URL is on one host: per-host = overall, so maxConcurrent is the limit that binds.
  maxConcurrent: 16,
  maxPerHost: 16,
};
const login = { username: 'root', password: 'xc3511', promptSuffix: '# ' };

type Result = Record<string, unknown>;
const n = (value: unknown, digits = 0): string => (typeof value === 'number' ? value.toFixed(digits) : String(value));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The Mirai load of bench/telnet.ts from two client processes; p95 is the worse of the two. */
async function miraiLoad(group: ProcessGroup, port: number, sessions = sizes.miraiSessions): Promise<Result> {
  const parts = 2;
  const request = { mode: 'mirai', port, ...login, concurrency: sizes.miraiConcurrency / parts, total: Math.ceil(sessions / parts), sources: 100 };
  const results = await Promise.all(Array.from({ length: parts }, () => group.client('bench/telnet-load.ts', request).result));
  const values = (key: string): number[] => results.map((r) => Number(r[key]));
  const sum = (key: string): number => values(key).reduce((a, b) => a + b, 0);
  const seconds = Math.max(...values('seconds'));
  return {
    ok: sum('ok'),
    sessions: sum('sessions'),
    sessionsPerSecond: sum('ok') / seconds,
    p50Ms: sum('p50Ms') / parts,
    p95Ms: Math.max(...values('p95Ms')),
    p99Ms: Math.max(...values('p99Ms')),
    loginP95Ms: Math.max(...values('loginP95Ms')),
    firstFailures: results.flatMap((r) => (Array.isArray(r.firstFailures) ? (r.firstFailures as unknown[]) : [])),
  };
}

/** Outcomes of the `download.fetch` events the store holds, with the longest duration of each. */
function fetchOutcomes(dataDir: string): { rows: { outcome: string; count: number; maxMs: number }[]; probe: string } {
  const db = new DatabaseSync(join(dataDir, 'hachi.db'), { readOnly: true });
  try {
    const rows = db.prepare('SELECT outcome, count(*) AS count, max(duration_ms) AS maxMs FROM fetches GROUP BY outcome ORDER BY count DESC').all() as { outcome: string; count: number; maxMs: number }[];
    const probe = db.prepare("SELECT outcome FROM fetches WHERE url LIKE '%/fast/%'").all() as { outcome: string }[];
    return { rows, probe: probe.map((r) => r.outcome).join(', ') || 'not recorded (still queued)' };
  } finally {
    db.close();
  }
}

async function slowHostStats(port: number): Promise<Result> {
  const response = await fetch(`http://127.0.0.1:${port}/stats`);
  return (await response.json()) as Result;
}

/** Samples hachi's RSS every second until stopped; returns the peak. */
function rssSampler(pid: number): { stop(): number } {
  let peak = 0;
  const timer = setInterval(() => void rssMiB(pid).then((mib) => (peak = Math.max(peak, mib)), () => undefined), 1000);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

async function run(group: ProcessGroup, dataDir: string): Promise<string[]> {
  const lines: string[] = [];
  const slowHost = await group.startServer(['bench/slow-host.ts'], ['slow-host']);
  const slowPort = slowHost.ports.get('slow-host')!;
  const config = {
    sensor: 'bench-fetch',
    services: [{ name: 'camera', protocol: 'telnet', host: '127.0.0.1', port: 0, persona: 'xm-ipc-hi3516d' }],
    connections: { perSource: 2000, total: 19_000 },
    sessions: { idleTimeoutMs: 600_000 },
    fetch: fetchConfig,
  };
  await writeFile(join(dataDir, 'bench.yaml'), stringify(config));
  const hachi: Server = await group.startServer(['src/cli/main.ts', 'run', '--config', join(dataDir, 'bench.yaml'), '--data', dataDir], ['camera']);
  const pid = hachi.child.pid!;
  const port = hachi.ports.get('camera')!;

  const rssStart = await rssMiB(pid);
  // A warm-up round first: a cold process (JIT, sinks opening) would make phase A look worse than B.
  await miraiLoad(group, port, sizes.miraiSessions / 4);
  const a = await miraiLoad(group, port);
  const rssA = await rssMiB(pid);

  // Phase B: the slow sessions log in, wget and stay; then the same Mirai load runs beside them.
  const phaseStart = performance.now();
  const cpuBefore = await cpuSeconds(pid);
  const sampler = rssSampler(pid);
  let held: Result = {};
  let markHeld: () => void = () => undefined;
  const heldReady = new Promise<void>((resolve) => (markHeld = resolve));
  const slowRequest = { mode: 'slow-hold', port, hostUrl: `http://127.0.0.1:${slowPort}`, ...login, count: sizes.slowBots, concurrency: 100, sources: 1000, sourceNet: 20 };
  const slowHold = group.client('bench/fetch-load.ts', slowRequest, (message) => {
    if (message.event !== 'held') return;
    held = message;
    markHeld();
  });
  // A client that dies before holding anything must not leave the bench waiting forever.
  slowHold.result.then(markHeld, markHeld);
  await heldReady;
  const rssHeld = await rssMiB(pid);
  const probe = await group.client('bench/fetch-load.ts', { mode: 'probe', port, hostUrl: `http://127.0.0.1:${slowPort}`, ...login, count: 1, concurrency: 1, sources: 1, sourceNet: 30 }).result;
  const b = await miraiLoad(group, port);
  // Hold until the first slow fetches have hit timeoutMs, so their outcomes reach the store.
  const holdUntil = phaseStart + fetchConfig.timeoutMs + 5000;
  if (performance.now() < holdUntil) await sleep(holdUntil - performance.now());
  const host = await slowHostStats(slowPort);
  const rssPeak = sampler.stop();
  const cpuB = (await cpuSeconds(pid)) - cpuBefore;
  const phaseSeconds = (performance.now() - phaseStart) / 1000;
  slowHold.tell('release');
  const released = await slowHold.result;
  await sleep(3000);
  const stored = fetchOutcomes(dataDir);

  const stopStarted = performance.now();
  const howStopped = await hachi.stop(20_000);
  const stopSeconds = (performance.now() - stopStarted) / 1000;
  const afterStop = fetchOutcomes(dataDir);
  await slowHost.stop(3000);

  const ratio = Number(b.p95Ms) / Math.max(0.001, Number(a.p95Ms));
  const pass = Number(b.p95Ms) < TARGET_P95_MS;
  const recorded = stored.rows.reduce((sum, r) => sum + r.count, 0);
  const rows: string[][] = [
    ['phase', 'sessions/s', 'ok', 'p50 / p95 / p99 ms per command', 'login p95', 'hachi RSS'],
    ['A: Mirai load alone', n(a.sessionsPerSecond), `${n(a.ok)}/${n(a.sessions)}`, `${n(a.p50Ms, 1)} / ${n(a.p95Ms, 1)} / ${n(a.p99Ms, 1)}`, `${n(a.loginP95Ms)} ms`, `${rssStart.toFixed(0)} -> ${rssA.toFixed(0)} MiB`],
    [`B: same, ${sizes.slowBots} slow sessions held`, n(b.sessionsPerSecond), `${n(b.ok)}/${n(b.sessions)}`, `${n(b.p50Ms, 1)} / ${n(b.p95Ms, 1)} / ${n(b.p99Ms, 1)}`, `${n(b.loginP95Ms)} ms`, `held ${rssHeld.toFixed(0)}, peak ${rssPeak.toFixed(0)} MiB`],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) lines.push(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  |  '));
  lines.push('');
  lines.push(`p95 B/A: ${ratio.toFixed(2)}x; target p95 < ${TARGET_P95_MS} ms in phase B: ${pass ? 'PASS' : 'FAIL'} (${n(b.p95Ms, 1)} ms)`);
  lines.push(`slow sessions: ${n(held.held)}/${sizes.slowBots} held (${n(released.stillOpen)} still open at release), ${n(held.failed)} failed, logged in and wget sent in ${n(held.openSeconds, 1)} s`);
  lines.push(`  wget answer: min ${n(held.wgetMinMs)} / p50 ${n(held.wgetP50Ms)} / p95 ${n(held.wgetP95Ms)} / max ${n(held.wgetMaxMs)} ms (sessionWaitMs ${fetchConfig.sessionWaitMs})`);
  lines.push(`  slow host: ${n(host.slowStarted)} slow requests reached it, at most ${n(host.maxSlowAtOnce)} at once (maxConcurrent ${fetchConfig.maxConcurrent}), ${n(host.slowNow)} open at the end`);
  lines.push(`  phase B: ${phaseSeconds.toFixed(0)} s, hachi CPU ${cpuB.toFixed(1)} s`);
  lines.push(`fast fetch typed during the flood: wget answered in ${n(probe.ms)} ms, payload ${probe.saved === true ? 'saved' : 'not saved'}; store: ${stored.probe}`);
  lines.push(`  shell said: ${n(probe.reply)}`);
  lines.push(`store after the phase: ${recorded} of ${sizes.slowBots + 1} fetches recorded: ${stored.rows.map((r) => `${r.outcome} ${r.count} (max ${r.maxMs} ms)`).join(', ') || 'none'}`);
  const saidStopped = /^stopped$/m.test(hachi.output()) ? 'printed "stopped"' : 'never printed "stopped"';
  lines.push(`hachi stop (SIGTERM): ${howStopped} after ${stopSeconds.toFixed(1)} s (${saidStopped}); store after stop: ${afterStop.rows.map((r) => `${r.outcome} ${r.count}`).join(', ') || 'none'}`);
  const failures = [...(a.firstFailures as unknown[]), ...(b.firstFailures as unknown[]), ...(held.firstFailures as unknown[])];
  if (failures.length > 0) lines.push(`first failures: ${JSON.stringify(failures.slice(0, 5))}`);
  const noisy = hachi.output().split('\n').filter((line) => /warn|error|exception/i.test(line));
  lines.push(`hachi output: ${noisy.length} warning/error lines${noisy.length > 0 ? `, first: ${noisy.slice(0, 3).join(' | ').slice(0, 600)}` : ''}`);
  return lines;
}

async function main(): Promise<void> {
  const group = new ProcessGroup();
  const dataDir = await mkdtemp(join(tmpdir(), 'hachi-bench-fetch-'));
  const abort = (): void => {
    group.killAll();
    process.exit(130);
  };
  process.on('SIGINT', abort);
  process.on('SIGTERM', abort);
  try {
    const lines = await run(group, dataDir);
    console.log(`\nFetch isolation benchmark (${quick ? 'quick' : 'full'}; ${new Date().toISOString()}; node ${process.version})`);
    console.log(`fetch config: ${JSON.stringify(fetchConfig)}; Mirai load ${sizes.miraiConcurrency} concurrent, ${sizes.miraiSessions} sessions, 2 client processes, after a warm-up of ${sizes.miraiSessions / 4} sessions`);
    for (const line of lines) console.log(line);
  } finally {
    group.killAll();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
