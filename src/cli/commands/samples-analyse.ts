// `hachi samples analyse [SHA...] [--all | --missing]`: (re-)analyses stored samples in the sensor's
// worker queue, writes the analysis.* events to the store (sensor "cli"), shows progress on stderr and
// ends with a summary. Safe beside a running sensor: SQLite serialises the writers.
import { availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createAnalysisQueue } from '../../analysis/analysis-queue.ts';
import { loadConfigFile, parseConfig } from '../../config/load.ts';
import { HachiError } from '../../core/errors.ts';
import { SCHEMA_VERSION, type EventPayloads, type SensorEvent, type SensorEventType } from '../../core/events.ts';
import { createIdGenerator } from '../../core/ids.ts';
import { openSqliteSink } from '../../sinks/sqlite.ts';
import { createFsArtifactStore } from '../../storage/artifact-fs-store.ts';
import { openStore } from '../../storage/store.ts';
import { createProgress } from '../progress.ts';
import { createSampleReader } from '../sample-bytes.ts';
import { positiveInt, shortSha } from '../sample-format.ts';
import { resolveSampleRef } from '../sample-ref.ts';
import { reanalyse, type ReanalysisResult } from '../sample-reanalysis.ts';
import { dataDirFrom } from './data-dir.ts';

export interface SamplesAnalyseOptions {
  readonly data?: string;
  readonly config?: string;
  readonly all?: boolean;
  readonly missing?: boolean;
  readonly workers?: string;
}

export const CLI_SENSOR = 'cli';

export async function samplesAnalyseCommand(refs: readonly string[], options: SamplesAnalyseOptions): Promise<void> {
  if ((refs.length > 0 ? 1 : 0) + (options.all ? 1 : 0) + (options.missing ? 1 : 0) !== 1) {
    throw new HachiError('HACHI_ERR_USAGE', 'name the samples to analyse, or pass --all (every stored sample) or --missing (those never analysed)');
  }
  const config = options.config ? await loadConfigFile(options.config) : parseConfig(undefined, '(embedded defaults)');
  const dataDir = dataDirFrom(options.data ?? resolve(config.dataDir));
  // Re-analysis has the machine to itself (the sensor keeps a core for its sessions): one worker per core.
  const workers = positiveInt(options.workers, '--workers', availableParallelism(), 16);
  const store = openStore(dataDir);
  let shas: string[];
  try {
    shas = refs.length > 0 ? [...new Set(refs.map((r) => resolveSampleRef(store, r)))] : store.listAnalysable({ missingOnly: options.missing === true });
  } finally {
    store.close();
  }
  if (shas.length === 0) {
    process.stdout.write('nothing to analyse\n');
    return;
  }

  const a = config.analysis;
  const yaraPath = a.yara === 'auto' && (await access(a.yaraPath).then(() => true, () => false)) ? a.yaraPath : null;
  const queue = createAnalysisQueue({
    worker: { rulesDir: a.rulesDir, yaraPath, extraYaraRulesDir: a.extraYaraRules, unpack: a.unpack, maxInnerBytes: a.maxInnerBytes },
    workers,
    maxQueued: Math.max(a.maxQueued, workers * 2),
    maxQueuedBytes: a.maxQueuedBytes,
  });
  const sink = await openSqliteSink({}, { dataDir, now: Date.now });
  const ids = createIdGenerator({ now: Date.now, randomBytes: (n) => randomBytes(n) });
  const makeEvent = <K extends SensorEventType>(type: K, data: EventPayloads[K], ts: number): SensorEvent =>
    ({ id: ids(), type, ts, schema: SCHEMA_VERSION, sensor: CLI_SENSOR, data }) as SensorEvent;
  const evictions: Promise<void>[] = [];
  const artifacts = createFsArtifactStore({
    dataDir,
    maxTotalBytes: config.artifacts.maxTotalBytes,
    // Room made for an inner file is recorded like the sensor records it.
    onEvict: (sha256, size, reason) => void evictions.push(sink.write([makeEvent('artifact.evicted', { sha256, size, reason }, Date.now())])),
  });
  const reader = createSampleReader(dataDir);
  const progress = createProgress({ label: 'analysing', total: shas.length, stream: process.stderr });
  let result: ReanalysisResult;
  try {
    result = await reanalyse(shas, {
      queue,
      read: (sha) => reader.read(sha),
      storeInner: async (sha, bytes) => void (await artifacts.put(sha, bytes)),
      makeEvent,
      write: (events) => sink.write(events),
      now: Date.now,
      inFlight: workers * 2,
      onProgress: (done, failed, total) => progress.update(done, failed, total),
    });
    progress.finish();
    await Promise.allSettled(evictions);
  } finally {
    await queue.close();
    await sink.close();
  }
  process.stdout.write(`${summaryText(result)}\n`);
  if (result.failed.length > 0) process.exitCode = 1;
}

export function summaryText(r: ReanalysisResult): string {
  const lines = [
    `analysed ${r.analysed} sample${r.analysed === 1 ? '' : 's'}${r.inner > 0 ? ` (${r.inner} found inside others)` : ''} in ${(r.elapsedMs / 1000).toFixed(1)} s, ${r.failed.length} failed`,
  ];
  const families = [...r.families].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([f, n]) => `${f} ${n}`);
  lines.push(`families found: ${families.length > 0 ? families.join(', ') : 'none'}; ${r.unlabelled} without a family`);
  for (const f of r.failed.slice(0, 20)) lines.push(`  failed ${shortSha(f.sha256)}: ${f.reason}`);
  if (r.failed.length > 20) lines.push(`  (+${r.failed.length - 20} more failures)`);
  return lines.join('\n');
}
