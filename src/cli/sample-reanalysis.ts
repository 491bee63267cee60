// Re-analyses stored samples through the sensor's worker queue: a few in flight at a time (bytes are
// read lazily, so --all over thousands of samples stays small), every result written as analysis.*
// events, and files found inside (UPX-unpacked, gunzipped) stored and analysed in turn.
import type { SampleAnalysis } from '../analysis/analyse-sample.ts';
import type { AnalysisQueue } from '../analysis/analysis-queue.ts';
import type { EventPayloads, SensorEvent, SensorEventType } from '../core/events.ts';
import type { StoredBytes } from './sample-bytes.ts';

/** Inner files are followed this deep, as in the sensor's analysis service. */
export const MAX_INNER_DEPTH = 2;

export interface ReanalysisDeps {
  readonly queue: AnalysisQueue;
  readonly read: (sha256: string) => Promise<StoredBytes>;
  /** Stores a file found inside a sample (may evict others, which the store reports itself). */
  readonly storeInner: (sha256: string, bytes: Uint8Array) => Promise<void>;
  readonly makeEvent: <K extends SensorEventType>(type: K, data: EventPayloads[K], ts: number) => SensorEvent;
  /** Writes one sample's events as one batch. */
  readonly write: (events: readonly SensorEvent[]) => Promise<void>;
  readonly now: () => number;
  /** Samples read and analysed at once (default 2 per worker). */
  readonly inFlight: number;
  readonly onProgress?: (done: number, failed: number, total: number) => void;
}

export interface ReanalysisResult {
  readonly analysed: number;
  /** Of those, files found inside other samples. */
  readonly inner: number;
  readonly failed: readonly { readonly sha256: string; readonly reason: string }[];
  /** Family verdict (first family named) to samples. */
  readonly families: ReadonlyMap<string, number>;
  readonly unlabelled: number;
  readonly elapsedMs: number;
}

interface Item {
  readonly sha256: string;
  readonly bytes: Uint8Array | null;
  readonly depth: number;
}

export function analysisEvents(a: SampleAnalysis, ts: number, makeEvent: ReanalysisDeps['makeEvent']): SensorEvent[] {
  return [
    makeEvent('analysis.file', a.file, ts),
    makeEvent('analysis.indicators', a.indicators, ts),
    ...a.families.map((f) => makeEvent('analysis.family', f, ts)),
    ...(a.mirai ? [makeEvent('analysis.mirai', a.mirai, ts)] : []),
  ];
}

export async function reanalyse(shas: readonly string[], deps: ReanalysisDeps): Promise<ReanalysisResult> {
  const started = deps.now();
  const seen = new Set<string>();
  const queue: Item[] = [];
  const add = (item: Item): void => {
    if (seen.has(item.sha256)) return;
    seen.add(item.sha256);
    queue.push(item);
  };
  for (const sha256 of shas) add({ sha256, bytes: null, depth: 0 });
  const failed: { sha256: string; reason: string }[] = [];
  const families = new Map<string, number>();
  let analysed = 0;
  let inner = 0;
  let unlabelled = 0;
  // One writer at a time: batches land in order and the sink never sees two transactions at once.
  let writing: Promise<void> = Promise.resolve();
  const progress = (): void => deps.onProgress?.(analysed + failed.length, failed.length, seen.size);

  const one = async (item: Item): Promise<void> => {
    let bytes = item.bytes;
    if (bytes === null) {
      const stored = await deps.read(item.sha256);
      if (!stored.ok) return void failed.push({ sha256: item.sha256, reason: stored.detail });
      bytes = stored.bytes;
    }
    const job = deps.queue.submit(item.sha256, bytes);
    if (job === null) return void failed.push({ sha256: item.sha256, reason: 'the analysis queue refused it (full)' });
    let result: SampleAnalysis;
    try {
      result = await job;
    } catch (error) {
      return void failed.push({ sha256: item.sha256, reason: error instanceof Error ? error.message : String(error) });
    }
    const written = writing.then(() => deps.write(analysisEvents(result, deps.now(), deps.makeEvent)));
    writing = written.catch(() => undefined);
    await written;
    analysed += 1;
    if (item.depth > 0) inner += 1;
    const family = result.families[0]?.family;
    if (family === undefined) unlabelled += 1;
    else families.set(family, (families.get(family) ?? 0) + 1);
    if (result.inner && item.depth < MAX_INNER_DEPTH && !seen.has(result.inner.sha256)) {
      await deps.storeInner(result.inner.sha256, result.inner.bytes).catch(() => undefined); // analysed even when the store is full
      add({ sha256: result.inner.sha256, bytes: result.inner.bytes, depth: item.depth + 1 });
    }
  };

  const running = new Set<Promise<void>>();
  progress();
  while (queue.length > 0 || running.size > 0) {
    while (queue.length > 0 && running.size < Math.max(1, deps.inFlight)) {
      const item = queue.shift()!;
      const task: Promise<void> = one(item)
        .catch((error: unknown) => void failed.push({ sha256: item.sha256, reason: error instanceof Error ? error.message : String(error) }))
        .finally(() => {
          running.delete(task);
          progress();
        });
      running.add(task);
    }
    await Promise.race(running);
  }
  return { analysed, inner, failed, families, unlabelled, elapsedMs: deps.now() - started };
}
