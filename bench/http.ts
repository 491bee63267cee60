// HTTP benchmark: `hachi run` serving one HTTP service on loopback (exploit signatures and scanner
// fingerprints from src/exploits on, events to the default sinks), a load client in another process
// with 200 keep-alive connections; reports requests/s and p50/p95/p99 latency. Run: `npx node bench/http.ts [--quick]`.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { cpuSeconds, ProcessGroup, rssMiB } from './bench-processes.ts';

const quick = process.argv.includes('--quick');
const connections = 200;
const group = new ProcessGroup();
const dataDir = await mkdtemp(join(tmpdir(), 'hachi-bench-http-'));
try {
  const config = join(dataDir, 'hachi.yaml');
  await writeFile(
    config,
    stringify({
      sensor: 'bench-http',
      services: [{ name: 'web', protocol: 'http', host: '127.0.0.1', port: 0, persona: 'rk3308-smart-hub', webPort: 80 }],
      // One source address opens all 200 connections.
      connections: { perSource: 1000 },
    }),
  );
  const server = await group.startServer(['src/cli/main.ts', 'run', '--config', config, '--data', dataDir], ['web']);
  const port = server.ports.get('web')!;
  const pid = server.child.pid!;
  const durationMs = quick ? 4000 : 15_000;
  const signatures = /exploit signatures loaded.*?signatures[=: ]+(\d+)/.exec(server.output())?.[1] ?? '?';
  process.stdout.write(`http: ${connections} keep-alive connections, ${durationMs / 1000} s measured each, ${signatures} exploit signatures on (every 10th request a GPON exploit)\n`);
  // Paced first, on a fresh process: the target rate on a fixed schedule, latency from the scheduled
  // send time. Saturated: each connection sends as soon as its answer arrives (latency is queueing).
  for (const [label, rate] of [['paced 5000/s', 5000], ['saturated', undefined]] as const) {
    const cpuBefore = await cpuSeconds(pid);
    const result = await group.client('bench/http-load.ts', { port, connections, warmupMs: quick ? 1000 : 3000, durationMs, rate }).result;
    const cpu = (await cpuSeconds(pid)) - cpuBefore;
    const rss = await rssMiB(pid);
    process.stdout.write(
      `  ${label.padEnd(13)} requests/s ${String(result['rps']).padStart(6)}  p50 ${String(result['p50'])} ms  p95 ${String(result['p95'])} ms  p99 ${String(result['p99'])} ms` +
        `  errors ${String(result['errors'])}  reconnects ${String(result['reconnects'])}  hachi CPU ${cpu.toFixed(1)} s  RSS ${rss.toFixed(0)} MiB\n`,
    );
  }
  await server.stop();
} finally {
  group.killAll();
  await rm(dataDir, { recursive: true, force: true });
}
