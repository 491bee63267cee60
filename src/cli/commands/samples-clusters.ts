// `hachi samples clusters`: "how many families, how many variants" over every analysed sample: TLSH
// variant clusters (single linkage at a threshold) counted per family label, plus unlabelled clusters.
import { DEFAULT_CLUSTER_THRESHOLD } from '../../analysis/similarity/clusters.ts';
import { openStore } from '../../storage/store.ts';
import { clusterCensus } from '../sample-clusters.ts';
import { positiveInt, shortSha } from '../sample-format.ts';
import { formatTable } from '../table.ts';
import { dataDirFrom } from './data-dir.ts';

export interface SamplesClustersOptions {
  readonly data?: string;
  readonly threshold?: string;
  readonly json?: boolean;
  readonly limit?: string;
}

export function samplesClustersCommand(options: SamplesClustersOptions): void {
  const threshold = positiveInt(options.threshold, '--threshold', DEFAULT_CLUSTER_THRESHOLD, 1000);
  const limit = positiveInt(options.limit, '--limit', 20, 100_000);
  const store = openStore(dataDirFrom(options.data));
  let census: ReturnType<typeof clusterCensus>;
  try {
    census = clusterCensus(store.listDigests(), threshold);
  } finally {
    store.close();
  }
  const s = census.summary;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ threshold, ...s, unlabelledClusters: census.unlabelled })}\n`);
    return;
  }
  const out = [
    `${s.samples} analysed samples: ${s.families} families, ${s.variants} variant clusters (TLSH <= ${threshold}, single linkage)`,
    `${s.samples - s.unlabelled} with a family, ${s.unlabelled} without (${census.unlabelled.length} unlabelled clusters); ${s.undigested} too small or uniform for TLSH (each its own cluster)`,
  ];
  if (s.perFamily.length > 0) {
    out.push('', formatTable(['family', 'samples', 'variants'], s.perFamily.map((f) => [f.family, String(f.samples), String(f.variants)])));
  }
  if (census.unlabelled.length > 0) {
    const rows = census.unlabelled.slice(0, limit).map((c) => [shortSha(c.id), String(c.size), c.kinds.join(' '), c.arches.join(' ') || '-']);
    out.push('', 'unlabelled clusters (largest first)', formatTable(['cluster', 'samples', 'kinds', 'arches'], rows));
    if (census.unlabelled.length > limit) out.push(`(+${census.unlabelled.length - limit} more; --limit N shows more)`);
  }
  if (s.mixedClusters.length > 0) out.push('', `clusters mixing families (misclassified, or the threshold is too loose): ${s.mixedClusters.map(shortSha).join(' ')}`);
  process.stdout.write(`${out.join('\n')}\n`);
}
