// Starts `hachi run` as a child process on free loopback ports for end-to-end tests, and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

const root = new URL('../../', import.meta.url).pathname;

export interface RunningHachi {
  readonly dataDir: string;
  readonly ports: ReadonlyMap<string, number>;
  readonly output: () => string;
  readonly child: ChildProcess;
  /** Runs a `hachi` CLI command against this instance's data directory. */
  cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ServiceSpec {
  readonly name: string;
  readonly persona: string;
  readonly port?: number;
  readonly loginFailureDelayMs?: number;
  readonly protocol?: 'telnet' | 'http' | 'ssh';
  readonly tls?: boolean;
  readonly webPort?: number;
}

export async function startHachi(services: readonly ServiceSpec[], extra: Record<string, unknown> = {}): Promise<RunningHachi> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hachi-e2e-'));
  const configPath = join(dataDir, 'hachi.yaml');
  const config = {
    sensor: 'e2e',
    services: services.map((s) => ({ protocol: 'telnet', host: '127.0.0.1', port: s.port ?? 0, ...s })),
    // Tests run hachi processes side by side: each dashboard API on a free port.
    dashboard: { port: 0 },
    ...extra,
  };
  await writeFile(configPath, stringify(config));
  const child = spawn(process.execPath, [join(root, 'src/cli/main.ts'), 'run', '--config', configPath, '--data', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ports = new Map<string, number>();
  const deadline = Date.now() + 20_000;
  while (ports.size < services.length) {
    for (const service of services) {
      const match = new RegExp(`${service.name}\\s.*(?:listening on|listens on) [^\\s]*:(\\d+)`).exec(output);
      if (match) ports.set(service.name, Number(match[1]));
    }
    if (child.exitCode !== null) throw new Error(`hachi exited early (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`hachi did not start in time:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    dataDir,
    ports,
    output: () => output,
    child,
    cli: (args) => runCli([...args, '--data', dataDir]),
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

export function runCli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'src/cli/main.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
