// Child processes for benchmarks: servers and load clients started with the open-file limit raised
// to the hard one, JSON-line results, RSS/CPU readings, and one place that kills them all at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';

const root = new URL('../', import.meta.url).pathname;

export interface Server {
  readonly child: ChildProcess;
  readonly ports: Map<string, number>;
  /** Everything the process printed so far (stdout and stderr), capped. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
  stop(graceMs?: number): Promise<'exited' | 'killed' | 'already'>;
}

export interface ClientRun {
  readonly child: ChildProcess;
  /** Resolves with the client's `result` message. */
  readonly result: Promise<Record<string, unknown>>;
  /** Writes one line to the client's stdin. */
  tell(line: string): void;
}

/** Every child started through it, so a failing bench still kills them all. */
export class ProcessGroup {
  private readonly children = new Set<ChildProcess>();

  /** `prefix` runs node through another program (e.g. `ip netns exec NAME`). */
  private spawnLimited(args: string[], stdout: 'pipe' | 'inherit', stderr: 'pipe' | 'inherit', prefix: readonly string[] = []): ChildProcess {
    const quote = (a: string): string => `'${a.replace(/'/g, `'\\''`)}'`;
    const command = `ulimit -n $(ulimit -Hn); exec ${prefix.map(quote).join(' ')} "${process.execPath}" ${args.map(quote).join(' ')}`;
    const child = spawn('sh', ['-c', command], { cwd: root, stdio: ['pipe', stdout, stderr] });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    child.stdin?.on('error', () => undefined);
    return child;
  }

  /** Starts a server and waits for its "<name> ... listening on host:port" lines. */
  async startServer(args: string[], names: string[], prefix: readonly string[] = []): Promise<Server> {
    const child = this.spawnLimited(args, 'pipe', 'pipe', prefix);
    let text = '';
    const append = (chunk: Buffer): void => void (text = (text + chunk.toString()).slice(-256 * 1024));
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    const ports = new Map<string, number>();
    const deadline = Date.now() + 30_000;
    while (ports.size < names.length) {
      for (const name of names) {
        const match = new RegExp(`${name}\\s.*listening on [^\\s]*:(\\d+)`).exec(text);
        if (match) ports.set(name, Number(match[1]));
      }
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { child, ports, output: () => text, stop: (graceMs = 20_000) => stopChild(child, graceMs) };
  }

  /** Runs a load client script with a JSON request; `onEvent` sees its non-result messages. */
  client(script: string, request: object, onEvent?: (message: Record<string, unknown>) => void): ClientRun {
    const child = this.spawnLimited([script, JSON.stringify(request)], 'pipe', 'inherit');
    let buffer = '';
    let result: Record<string, unknown> | null = null;
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const message = JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>;
        buffer = buffer.slice(newline + 1);
        if (message.event === 'result') result = message;
        else onEvent?.(message);
      }
    });
    const done = new Promise<Record<string, unknown>>((resolve, reject) => {
      child.once('exit', (code) => (result ? resolve(result) : reject(new Error(`${script} exited with ${code} and no result`))));
    });
    return { child, result: done, tell: (line) => void child.stdin?.write(`${line}\n`) };
  }

  /** Kills whatever is still running (SIGKILL): the last step of every bench, also on failure. */
  killAll(): void {
    for (const child of this.children) child.kill('SIGKILL');
  }
}

function stopChild(child: ChildProcess, graceMs: number): Promise<'exited' | 'killed' | 'already'> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve('already');
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('killed');
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve('exited');
    });
    child.kill('SIGTERM');
  });
}

export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** User plus system CPU seconds of a process, all its threads. */
export async function cpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
