// Unpacks a UPX sample with the system's `upx`/`upx-ucl` when installed: fixed names in a fresh 0700 temp
// dir, no shell, bounded time and output, dir always removed. The sample is never executed; only upx reads it.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { detectUpx } from './upx.ts';

export interface UnpackOptions {
  /** Use this upx binary instead of searching `searchPath` (tests point it at a fake). */
  readonly upxPath?: string;
  /** PATH-style list searched for `upx` then `upx-ucl`; defaults to process.env.PATH at call time. */
  readonly searchPath?: string;
  /** Parent of the private temp dir; defaults to os.tmpdir(). */
  readonly tmpRoot?: string;
  readonly timeoutMs?: number;
  /** Largest unpacked result accepted; larger outputs (and declared sizes) are refused. */
  readonly maxOutputBytes?: number;
  /** Write "UPX!" back over a magic a bot altered, on the temp copy only (default true). */
  readonly restoreMagic?: boolean;
}

export type UnpackFailure = 'no-upx' | 'too-large' | 'timeout' | 'failed' | 'error';

export type UnpackResult =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly tool: string; readonly restoredMagic: boolean }
  | { readonly ok: false; readonly reason: UnpackFailure; readonly detail: string };

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;
/** upx's own console output kept at most (it is only used in failure details). */
const MAX_TOOL_OUTPUT = 64 * 1024;
const IN_NAME = 'sample.bin';
const OUT_NAME = 'unpacked.bin';
const UPX_MAGIC = [0x55, 0x50, 0x58, 0x21];

export async function unpackUpx(bytes: Uint8Array, options: UnpackOptions = {}): Promise<UnpackResult> {
  const tool = options.upxPath ?? (await findUpx(searchPathOf(options)));
  if (tool === null) return { ok: false, reason: 'no-upx', detail: 'neither upx nor upx-ucl is on PATH' };
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const info = detectUpx(bytes);
  if (info.originalSize !== null && info.originalSize > maxOutput) {
    return { ok: false, reason: 'too-large', detail: `declared unpacked size ${info.originalSize} exceeds ${maxOutput} bytes` };
  }
  const restore = (options.restoreMagic ?? true) && info.magicAltered && info.alteredMagicOffsets.length > 0;
  const input = restore ? withMagicRestored(bytes, info.alteredMagicOffsets) : bytes;

  let dir: string | null = null;
  try {
    dir = await mkdtemp(join(options.tmpRoot ?? tmpdir(), 'hachi-upx-'));
    const inPath = join(dir, IN_NAME);
    const outPath = join(dir, OUT_NAME);
    await writeFile(inPath, input, { mode: 0o600 });
    const upxArgs = ['-d', '-q', '-o', outPath, inPath];
    // prlimit (util-linux) caps the size of any file upx writes, so the disk cannot be filled even if
    // the declared size lies; without it the declared-size check above and the post-check remain.
    const prlimit = options.upxPath === undefined ? await findTool(['prlimit'], searchPathOf(options)) : null;
    const run = prlimit === null
      ? await runUpx(tool, upxArgs, dir, options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
      : await runUpx(prlimit, [`--fsize=${maxOutput + 1}`, '--', tool, ...upxArgs], dir, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    if (!run.ok) return run;
    const size = await stat(outPath).then((s) => s.size, () => -1);
    if (size < 0) return { ok: false, reason: 'failed', detail: 'upx exited 0 but wrote no output' };
    if (size > maxOutput) return { ok: false, reason: 'too-large', detail: `unpacked output is ${size} bytes, limit ${maxOutput}` };
    return { ok: true, bytes: new Uint8Array(await readFile(outPath)), tool, restoredMagic: restore };
  } catch (err) {
    return { ok: false, reason: 'error', detail: err instanceof Error ? err.message : String(err) };
  } finally {
    if (dir !== null) await rm(dir, { recursive: true, force: true });
  }
}

/** First `upx` or `upx-ucl` that is an executable file in one of the PATH directories. */
export function findUpx(searchPath: string): Promise<string | null> {
  return findTool(['upx', 'upx-ucl'], searchPath);
}

function searchPathOf(options: UnpackOptions): string {
  return options.searchPath ?? process.env['PATH'] ?? '';
}

async function findTool(names: readonly string[], searchPath: string): Promise<string | null> {
  const dirs = searchPath.split(delimiter).filter((d) => d !== '' && isAbsolute(d));
  for (const name of names) {
    for (const d of dirs) {
      const candidate = join(d, name);
      const ok = await access(candidate, constants.X_OK).then(() => stat(candidate)).then((s) => s.isFile(), () => false);
      if (ok) return candidate;
    }
  }
  return null;
}

function withMagicRestored(bytes: Uint8Array, offsets: readonly number[]): Uint8Array {
  const copy = bytes.slice();
  for (const at of offsets) if (at >= 0 && at + 4 <= copy.length) copy.set(UPX_MAGIC, at);
  return copy;
}

type RunResult = { readonly ok: true } | { readonly ok: false; readonly reason: UnpackFailure; readonly detail: string };

function runUpx(tool: string, args: string[], cwd: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    // A bare environment: upx reads default options from $UPX, which must not apply here.
    const env = { PATH: '/usr/bin:/bin', LC_ALL: 'C' };
    execFile(tool, args, { cwd, env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_TOOL_OUTPUT, windowsHide: true }, (err, stdout, stderr) => {
      if (err === null) return resolve({ ok: true });
      const text = `${String(stderr)}${String(stdout)}`.trim().slice(0, 500);
      if (err.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return resolve({ ok: false, reason: 'failed', detail: 'upx wrote too much console output' });
      if (err.killed === true && err.signal === 'SIGKILL') return resolve({ ok: false, reason: 'timeout', detail: `upx did not finish within ${timeoutMs} ms` });
      if (err.signal === 'SIGXFSZ') return resolve({ ok: false, reason: 'too-large', detail: 'upx output hit the file size limit' });
      if (typeof err.code === 'string') return resolve({ ok: false, reason: 'error', detail: `could not run ${tool}: ${err.code}` });
      resolve({ ok: false, reason: 'failed', detail: `upx exited with ${err.code ?? err.signal ?? 'an error'}${text === '' ? '' : `: ${text}`}` });
    });
  });
}
