// Runs a device's reset hook (power-cycle, reflash): the operator's argv, never through a shell,
// killed at its timeout, output capped, the device named in its environment.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ResetOutcome {
  /** Exit status; null when the hook was killed (timeout, signal) or could not be started. */
  readonly exitCode: number | null;
  readonly durationMs: number;
  /** First line of the hook's output (200 characters at most), or why it failed. */
  readonly detail: string;
}

export interface ResetHookOptions {
  /** Program and arguments from the config; nothing from a session ever reaches them. */
  readonly argv: readonly string[];
  readonly timeoutMs: number;
  readonly device: { readonly name: string; readonly address: string };
  /** Environment the hook inherits (process.env when omitted); HACHI_DEVICE* are added. */
  readonly env?: NodeJS.ProcessEnv;
  /** Output bytes kept (stdout and stderr together); the rest is read and dropped. */
  readonly maxOutputBytes?: number;
  /** After SIGTERM at the timeout, how long before SIGKILL. */
  readonly killGraceMs?: number;
  readonly now?: () => number;
}

const DETAIL_CHARS = 200;
// After the hook exits, how long to wait for its output pipes to close (a background child may hold them).
const PIPE_GRACE_MS = 200;

/** Runs the hook to its end or its timeout; never rejects. */
export function runResetHook(options: ResetHookOptions): Promise<ResetOutcome> {
  const now = options.now ?? (() => performance.now());
  const maxOutput = options.maxOutputBytes ?? 4096;
  const started = now();
  const [file, ...args] = options.argv;
  if (file === undefined) return Promise.resolve({ exitCode: null, durationMs: 0, detail: 'no reset command configured' });
  const env = { ...(options.env ?? process.env), HACHI_DEVICE: options.device.name, HACHI_DEVICE_ADDRESS: options.device.address };

  return new Promise((resolve) => {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let timedOut = false;
    let finished = false;
    const timers: NodeJS.Timeout[] = [];
    const later = (ms: number, fn: () => void): void => {
      const t = setTimeout(fn, ms);
      t.unref();
      timers.push(t);
    };
    let child: ChildProcess | null = null;
    const finish = (exitCode: number | null, why: string | null): void => {
      if (finished) return;
      finished = true;
      for (const t of timers) clearTimeout(t);
      // Whatever the killed hook left running in its group goes too.
      if (timedOut && child) killGroup(child, 'SIGKILL');
      child?.stdout?.destroy();
      child?.stderr?.destroy();
      const line = firstLine(Buffer.concat(kept).toString('utf8'));
      const detail = why === null ? line || `exit ${exitCode ?? '?'}, no output` : line ? `${why}: ${line}` : why;
      resolve({ exitCode: timedOut ? null : exitCode, durationMs: Math.round(now() - started), detail: cap(detail) });
    };

    try {
      // detached: the hook leads its own process group, so the timeout kills the scripts it started too.
      child = spawn(file, args, { shell: false, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
    } catch (error) {
      // Bad argv (a NUL byte, say) throws instead of emitting 'error'.
      finish(null, `could not run ${file}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const proc = child;
    const keep = (chunk: Buffer): void => {
      if (keptBytes >= maxOutput) return;
      const part = chunk.subarray(0, maxOutput - keptBytes);
      kept.push(part);
      keptBytes += part.length;
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    proc.once('error', (error: NodeJS.ErrnoException) => finish(null, `could not run ${file}: ${error.code ?? error.message}`));
    proc.once('exit', (code, signal) => {
      const why = timedOut ? `timeout after ${options.timeoutMs} ms, killed` : signal !== null ? `killed by ${signal}` : null;
      proc.once('close', () => finish(code, why));
      later(PIPE_GRACE_MS, () => finish(code, why));
    });
    later(options.timeoutMs, () => {
      // Exited already, only its pipes still open: not a timeout.
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      timedOut = true;
      killGroup(proc, 'SIGTERM');
      later(options.killGraceMs ?? 2000, () => killGroup(proc, 'SIGKILL'));
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // The whole group: a shell script's children die with it (and the group outlives its leader).
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** The first non-empty line, control characters made spaces (it lands in events and logs). */
function firstLine(text: string): string {
  for (const line of text.split(/\r?\n|\r/)) {
    const clean = line.replace(/[\x00-\x1f\x7f]/g, ' ').trim();
    if (clean) return clean;
  }
  return '';
}

function cap(text: string): string {
  const chars = Array.from(text);
  return chars.length <= DETAIL_CHARS ? text : chars.slice(0, DETAIL_CHARS - 1).join('') + '…';
}
