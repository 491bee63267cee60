// "How many families, how many variants": counts over variant clusters and family labels, plus the
// clusters whose members carry different labels (a misclassification or a too-loose threshold).
import type { Cluster } from './clusters.ts';

export interface FamilyCount {
  readonly family: string;
  readonly samples: number;
  /** clusters holding at least one sample with this label */
  readonly variants: number;
}

export interface FamilySummary {
  readonly samples: number;
  /** distinct family labels */
  readonly families: number;
  /** clusters, singletons included */
  readonly variants: number;
  /** samples TLSH could not hash (each its own variant) */
  readonly undigested: number;
  /** samples without a family label */
  readonly unlabelled: number;
  /** most samples first, then by name */
  readonly perFamily: readonly FamilyCount[];
  /** ids of clusters whose members carry more than one family label */
  readonly mixedClusters: readonly string[];
}

/** `labels` maps sha256 to family; samples missing from it (or labelled '') count as unlabelled. */
export function summariseFamilies(clusters: readonly Cluster[], labels: ReadonlyMap<string, string>): FamilySummary {
  const samplesPerFamily = new Map<string, number>();
  const variantsPerFamily = new Map<string, number>();
  const mixedClusters: string[] = [];
  let samples = 0;
  let undigested = 0;
  let unlabelled = 0;
  for (const cluster of clusters) {
    const familiesHere = new Set<string>();
    for (const sha of cluster.members) {
      samples++;
      const family = labels.get(sha);
      if (family === undefined || family === '') {
        unlabelled++;
        continue;
      }
      familiesHere.add(family);
      samplesPerFamily.set(family, (samplesPerFamily.get(family) ?? 0) + 1);
    }
    if (!cluster.digested) undigested += cluster.members.length;
    for (const family of familiesHere) variantsPerFamily.set(family, (variantsPerFamily.get(family) ?? 0) + 1);
    if (familiesHere.size > 1) mixedClusters.push(cluster.id);
  }
  const perFamily = [...samplesPerFamily]
    .map(([family, count]) => ({ family, samples: count, variants: variantsPerFamily.get(family) ?? 0 }))
    .sort((a, b) => b.samples - a.samples || (a.family < b.family ? -1 : a.family > b.family ? 1 : 0));
  return { samples, families: samplesPerFamily.size, variants: clusters.length, undigested, unlabelled, perFamily, mixedClusters };
}
