// Static analysis benchmark: samples/s for 1 MiB binaries through the analysis queue (worker
// threads, as `hachi run` uses it), against the cost of only hashing them (baseline, same run);
// and what storing an already-known sample costs. The binaries are the first MiB of this machine's
// own executables and libraries (real code and string density; no malware), a third of them with a
// Mirai-like XOR string table written in. Run: `npx node bench/analysis.ts [--quick]`.
import { createHash } from 'node:crypto';
import { mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAnalysisQueue } from '../src/analysis/analysis-queue.ts';
import { createFsArtifactStore } from '../src/storage/artifact-fs-store.ts';

const quick = process.argv.includes('--quick');
const count = quick ? 60 : 300;
const size = 1024 * 1024;

/** Paths of local ELF files of at least 1 MiB (system binaries and libraries). */
async function localBinaries(wanted: number): Promise<string[]> {
  const found: string[] = [];
  for (const dir of ['/usr/lib/x86_64-linux-gnu', '/usr/bin', '/usr/sbin', '/usr/lib', '/usr/libexec']) {
    const names = await readdir(dir).catch((): string[] => []);
    for (const name of names.sort()) {
      const path = join(dir, name);
      const info = await stat(path).catch(() => null);
      if (info?.isFile() && info.size >= size) found.push(path);
      if (found.length >= wanted) return found;
    }
  }
  return found;
}

async function firstMiB(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const bytes = new Uint8Array(size);
    await file.read(bytes, 0, size, 0);
    return bytes;
  } finally {
    await file.close();
  }
}

/** A real binary's first MiB; every third gets a Mirai-like table (key 0x22) so the family rules fire. */
function withTable(bytes: Uint8Array, seed: number): Uint8Array {
  const out = bytes.slice();
  // Distinct even when a file is reused.
  const flip = size - 1 - (seed % 4096);
  out[flip] = (out[flip] ?? 0) ^ (seed & 0xff || 1);
  if (seed % 3 !== 0) return out;
  const table = ['/proc/', '/exe', ' (deleted)', '/fd', '.anime', '/status', 'REPORT %s:%s', 'HTTPFLOOD', 'LOLNOGTFO', 'zollard', 'GETLOCALIP', 'shell', 'enable', 'system', 'sh', '/bin/busybox MIRAI', 'MIRAI: applet not found', 'ncorrect', '/bin/busybox ps', '/bin/busybox kill -9 '];
  let at = 200_000;
  for (const entry of table) {
    for (const ch of new TextEncoder().encode(entry)) out[at++] = ch ^ 0x22;
    out[at++] = 0x22;
  }
  return out;
}

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function analyseAll(samples: readonly { sha: string; bytes: Uint8Array }[], workers: number): Promise<{ perSecond: number; families: number }> {
  const queue = createAnalysisQueue({ worker: { rulesDir: null, yaraPath: null, extraYaraRulesDir: null, unpack: false, maxInnerBytes: 64 << 20 }, workers, maxQueued: samples.length, maxQueuedBytes: 2 * 1024 ** 3 });
  // Warm-up: start the workers and compile the rules before the clock starts.
  await Promise.all(Array.from({ length: workers }, (_, i) => queue.submit(`warm-${i}`, samples[i]!.bytes.slice(0, 65_536))));
  const started = performance.now();
  const results = await Promise.all(samples.map((s) => queue.submit(s.sha, s.bytes)!));
  const seconds = (performance.now() - started) / 1000;
  await queue.close();
  return { perSecond: samples.length / seconds, families: results.filter((r) => r.families.length > 0).length };
}

async function main(): Promise<void> {
  const files = await localBinaries(count);
  if (files.length === 0) throw new Error('no local binaries of 1 MiB or more found');
  const bases = await Promise.all(files.map(firstMiB));
  const samples = Array.from({ length: count }, (_, i) => {
    const bytes = withTable(bases[i % bases.length]!, i + 1);
    return { sha: sha(bytes), bytes };
  });
  const rows: string[][] = [];
  const hashStart = performance.now();
  for (const s of samples) sha(s.bytes);
  const hashPerSecond = count / ((performance.now() - hashStart) / 1000);
  rows.push(['baseline: SHA-256 only, one thread', `${hashPerSecond.toFixed(0)} samples/s`, '']);
  for (const workers of [1, 2]) {
    const r = await analyseAll(samples, workers);
    rows.push([`analysis queue, ${workers} worker${workers > 1 ? 's' : ''}`, `${r.perSecond.toFixed(1)} samples/s`, `${r.families}/${count} with a family; ${((r.perSecond / hashPerSecond) * 100).toFixed(1)}% of hashing`]);
  }

  // Storing again: the session path hashes the bytes and asks the store whether it has them.
  const dir = await mkdtemp(join(tmpdir(), 'hachi-bench-artifacts-'));
  try {
    const store = createFsArtifactStore({ dataDir: dir, maxTotalBytes: 4 * 1024 ** 3 });
    const first = performance.now();
    for (const s of samples.slice(0, 50)) await store.put(s.sha, s.bytes);
    const newMs = (performance.now() - first) / 50;
    // The session path has hashed the bytes already (capture): the store then needs one lookup.
    const again = performance.now();
    for (const s of samples.slice(0, 50)) await store.put(s.sha, s.bytes);
    const knownMs = (performance.now() - again) / 50;
    rows.push(['store a new 1 MB sample', `${newMs.toFixed(2)} ms`, 'hash check, temp file, rename']);
    rows.push(['store a known 1 MB sample again', `${knownMs.toFixed(3)} ms + the caller's SHA-256 (${(1000 / hashPerSecond).toFixed(2)} ms)`, `one lookup and a last-seen touch; ${(newMs / knownMs).toFixed(0)}x cheaper than storing it new`]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`\nAnalysis benchmark (${quick ? 'quick' : 'full'}: ${count} samples of 1 MiB from ${bases.length} local binaries; ${new Date().toISOString()}; node ${process.version})`);
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  |  '));
}

await main();
