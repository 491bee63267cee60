// Wires static analysis into the sensor: every new sample (captured or fetched) goes to the analysis
// queue once; results become analysis.* events, and a file found inside (UPX, gzip) is stored and
// analysed in turn.
import { access } from 'node:fs/promises';
import type { EventPayloads, SensorEventType } from '../core/events.ts';
import type { ArtifactStore, Logger } from '../core/ports.ts';
import type { AnalysisConfig } from '../config/schema.ts';
import { createAnalysisQueue, type AnalysisQueue } from '../analysis/analysis-queue.ts';
import { LruMap } from '../sessions/lru-map.ts';

export interface AnalysisService {
  /** Queues a sample for analysis unless it was analysed (or refused) by this process already. */
  analyse(sha256: string, bytes: Uint8Array): void;
  /** Resolves when nothing is waiting or running (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

type Publish = <K extends SensorEventType>(type: K, data: EventPayloads[K]) => void;

/** Inner files (unpacked, gunzipped) are followed this deep. */
const MAX_INNER_DEPTH = 2;

export async function createAnalysisService(config: AnalysisConfig, artifacts: ArtifactStore, publish: Publish, logger: Logger): Promise<AnalysisService | null> {
  if (!config.enabled) return null;
  const yaraPath = config.yara === 'auto' && (await access(config.yaraPath).then(() => true, () => false)) ? config.yaraPath : null;
  const queue: AnalysisQueue = createAnalysisQueue({
    worker: { rulesDir: config.rulesDir, yaraPath, extraYaraRulesDir: config.extraYaraRules, unpack: config.unpack, maxInnerBytes: config.maxInnerBytes },
    workers: config.workers,
    maxQueued: config.maxQueued,
    maxQueuedBytes: config.maxQueuedBytes,
  });
  const seen = new LruMap<string, true>(100_000);
  const running = new Set<Promise<void>>();
  let refusals = 0;

  const analyse = (sha256: string, bytes: Uint8Array, depth: number): void => {
    if (seen.get(sha256)) return;
    seen.set(sha256, true);
    const job = queue.submit(sha256, bytes);
    if (job === null) {
      refusals += 1;
      // Said once per hundred: a flood must not flood the log too. `hachi samples analyse --all` catches up.
      if (refusals % 100 === 1) logger.warn('analysis queue full; sample stored but not analysed', { sha256, refused: refusals });
      return;
    }
    const tracked = job
      .then(async (a) => {
        publish('analysis.file', a.file);
        publish('analysis.indicators', a.indicators);
        for (const family of a.families) publish('analysis.family', family);
        if (a.mirai) publish('analysis.mirai', a.mirai);
        if (a.inner && depth < MAX_INNER_DEPTH) {
          await artifacts.put(a.inner.sha256, a.inner.bytes);
          analyse(a.inner.sha256, a.inner.bytes, depth + 1);
        }
      })
      .catch((error: unknown) => logger.warn('sample analysis failed', { sha256, error: error instanceof Error ? error.message : String(error) }))
      .finally(() => running.delete(tracked));
    running.add(tracked);
  };

  return {
    analyse: (sha256, bytes) => analyse(sha256, bytes, 0),
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
    close: () => queue.close(),
  };
}
