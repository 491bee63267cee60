// Variant clusters over the analysed samples (TLSH, single linkage) for `samples show` and
// `samples clusters`: one sample's cluster with distances, and the family/variant census.
import { clusterSamples, type Cluster } from '../analysis/similarity/clusters.ts';
import { summariseFamilies, type FamilySummary } from '../analysis/similarity/family-summary.ts';
import { parseTlsh, tlshDistanceParsed } from '../analysis/similarity/tlsh.ts';
import type { SampleDigestRow } from '../storage/store.ts';

export interface ClusterMember {
  readonly sha256: string;
  /** TLSH distance to the sample asked about; null when either has no digest. */
  readonly distance: number | null;
  readonly family: string | null;
  readonly variant: string | null;
  readonly kind: string;
  readonly arch: string | null;
}

export interface VariantCluster {
  readonly id: string;
  readonly threshold: number;
  /** Closest first, the sample itself excluded. */
  readonly others: readonly ClusterMember[];
}

export function clustersOf(digests: readonly SampleDigestRow[], threshold: number): Cluster[] {
  return clusterSamples(
    digests.map((d) => ({ sha256: d.sha256, digest: d.tlsh, firstSeen: d.firstSeen })),
    { threshold },
  );
}

/** The cluster holding `sha256`, or null when the sample was never analysed. */
export function variantClusterOf(digests: readonly SampleDigestRow[], sha256: string, threshold: number): VariantCluster | null {
  const self = digests.find((d) => d.sha256 === sha256);
  if (self === undefined) return null;
  const cluster = clustersOf(digests, threshold).find((c) => c.members.includes(sha256));
  if (cluster === undefined) return null;
  const bySha = new Map(digests.map((d) => [d.sha256, d]));
  const mine = self.tlsh === null ? null : parseTlsh(self.tlsh);
  const others = cluster.members
    .filter((m) => m !== sha256)
    .map((m): ClusterMember => {
      const d = bySha.get(m)!;
      const theirs = d.tlsh === null ? null : parseTlsh(d.tlsh);
      const distance = mine !== null && theirs !== null ? tlshDistanceParsed(mine, theirs) : null;
      return { sha256: m, distance, family: d.family, variant: d.variant, kind: d.kind, arch: d.arch };
    })
    .sort((a, b) => (a.distance ?? Infinity) - (b.distance ?? Infinity) || (a.sha256 < b.sha256 ? -1 : 1));
  return { id: cluster.id, threshold, others };
}

export interface UnlabelledCluster {
  readonly id: string;
  readonly size: number;
  readonly kinds: readonly string[];
  readonly arches: readonly string[];
}

export interface ClusterCensus {
  readonly threshold: number;
  readonly summary: FamilySummary;
  /** Clusters none of whose members matched a family rule, largest first. */
  readonly unlabelled: readonly UnlabelledCluster[];
}

export function clusterCensus(digests: readonly SampleDigestRow[], threshold: number): ClusterCensus {
  const clusters = clustersOf(digests, threshold);
  const bySha = new Map(digests.map((d) => [d.sha256, d]));
  const labels = new Map(digests.flatMap((d) => (d.family === null ? [] : [[d.sha256, d.family] as const])));
  const unlabelled = clusters
    .filter((c) => c.members.every((m) => !labels.has(m)))
    .map((c) => ({
      id: c.id,
      size: c.members.length,
      kinds: [...new Set(c.members.map((m) => bySha.get(m)?.kind ?? '?'))].sort(),
      arches: [...new Set(c.members.flatMap((m) => bySha.get(m)?.arch ?? []))].sort(),
    }))
    .sort((a, b) => b.size - a.size || (a.id < b.id ? -1 : 1));
  return { threshold, summary: summariseFamilies(clusters, labels), unlabelled };
}
