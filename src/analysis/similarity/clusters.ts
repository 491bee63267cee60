// Variant clusters: single-linkage grouping of samples whose TLSH distance is <= a threshold, kept
// incrementally (union-find plus an exact candidate index on the digest header), with stable ids.
import { parseTlsh, tlshDistanceParsed } from './tlsh.ts';
import type { TlshParsed } from './tlsh.ts';

/**
 * Default link threshold. Rebuilds of one source with a changed C2 string or a patched table land well
 * under 30; separate builds or versions of one family often fall in 30–70. Above ~100 TLSH matches stop
 * being specific, and statically linked IoT binaries for one CPU share libc code, so a looser cut chains
 * different families together (single linkage is transitive). 70 keeps variants together and families
 * apart; tune per corpus with `threshold`.
 */
export const DEFAULT_CLUSTER_THRESHOLD = 70;

export interface SampleDigest {
  readonly sha256: string;
  /** TLSH digest ("T1…" or the older bare form), or null when the sample was too small or uniform to hash; a malformed digest counts as null. */
  readonly digest: string | null;
  /** Epoch ms of first sighting; picks the cluster id (earliest first, then smallest sha). */
  readonly firstSeen?: number;
}

export interface Cluster {
  /** sha256 of the earliest-seen member (smallest sha among equals): unchanged by later sightings. */
  readonly id: string;
  readonly members: readonly string[];
  /** false for a sample without a digest: it can only ever be a cluster of its own. */
  readonly digested: boolean;
}

const lengthPenalty = (d: number): number => (d <= 1 ? d : d * 12);
const ratioPenalty = (d: number): number => (d <= 1 ? d : (d - 1) * 12);
const ringDistance = (d: number, range: number): number => Math.min(d, range - d);
const cellOf = (p: TlshParsed): number => (p.lvalue << 8) | (p.q1 << 4) | p.q2;
/** Adds a packed (L, Q1, Q2) offset to a packed cell, each field modulo its range (256, 16, 16). */
const shiftCell = (cell: number, offset: number): number =>
  ((((cell >> 8) + (offset >> 8)) & 0xff) << 8) | ((((cell >> 4) + (offset >> 4)) & 0xf) << 4) | ((cell + offset) & 0xf);

/**
 * Header offsets (L-value, Q1, Q2, modular) whose penalty alone stays within the threshold. The
 * header penalty is a lower bound of the distance, so only samples in these cells can link: exact.
 */
function neighbourOffsets(threshold: number): number[] {
  const offsets: number[] = [];
  for (let dl = 0; dl < 256; dl++) {
    const pl = lengthPenalty(ringDistance(dl, 256));
    if (pl > threshold) continue;
    for (let d1 = 0; d1 < 16; d1++) {
      const p1 = pl + ratioPenalty(ringDistance(d1, 16));
      if (p1 > threshold) continue;
      for (let d2 = 0; d2 < 16; d2++) {
        if (p1 + ratioPenalty(ringDistance(d2, 16)) <= threshold) offsets.push((dl << 8) | (d1 << 4) | d2);
      }
    }
  }
  return offsets;
}

/**
 * addSample looks up the header cells within reach (575 of 65,536 at threshold 70) and costs O(C·α(n))
 * finds plus at most C digest comparisons (~25–50 ns each, word-parallel, cut off at the threshold), C
 * being the samples already in those cells; members of a cluster the new sample has already joined are
 * skipped. Exact (same result as all pairs); worst case, everything in one cell, O(n) per add, O(n²) batch.
 */
export class VariantClusters {
  readonly threshold: number;
  #comparisons = 0;
  readonly #offsets: number[];
  readonly #shas: string[] = [];
  readonly #parsed: (TlshParsed | null)[] = [];
  readonly #firstSeen: number[] = [];
  readonly #parent: number[] = [];
  readonly #size: number[] = [];
  /** per root: the member whose sha names the cluster */
  readonly #rep: number[] = [];
  readonly #bySha = new Map<string, number>();
  readonly #cells = new Map<number, number[]>();

  constructor(options: { readonly threshold?: number } = {}) {
    const threshold = options.threshold ?? DEFAULT_CLUSTER_THRESHOLD;
    if (!Number.isInteger(threshold) || threshold < 0) throw new RangeError(`threshold must be a non-negative integer, got ${threshold}`);
    this.threshold = threshold;
    this.#offsets = neighbourOffsets(threshold);
  }

  /** Digest comparisons made so far (for benchmarks and tests of the pruning). */
  get comparisons(): number {
    return this.#comparisons;
  }

  get size(): number {
    return this.#shas.length;
  }

  /** Adds (or re-sights) a sample and returns its cluster id; merging clusters keeps the older id. */
  addSample(sample: SampleDigest): string {
    const seen = sample.firstSeen ?? Number.POSITIVE_INFINITY;
    const known = this.#bySha.get(sample.sha256);
    if (known !== undefined) {
      if (seen < this.#firstSeen[known]!) {
        this.#firstSeen[known] = seen;
        const root = this.#find(known);
        if (this.#earlier(known, this.#rep[root]!)) this.#rep[root] = known;
      }
      return this.#shas[this.#rep[this.#find(known)]!]!;
    }
    const node = this.#shas.length;
    const parsed = sample.digest === null ? null : parseTlsh(sample.digest);
    this.#shas.push(sample.sha256);
    this.#parsed.push(parsed);
    this.#firstSeen.push(seen);
    this.#parent.push(node);
    this.#size.push(1);
    this.#rep.push(node);
    this.#bySha.set(sample.sha256, node);
    if (parsed === null) return sample.sha256;
    const home = cellOf(parsed);
    const digests = this.#parsed;
    const threshold = this.threshold;
    let root = node;
    for (const offset of this.#offsets) {
      const cell = this.#cells.get(shiftCell(home, offset));
      if (cell === undefined) continue;
      for (const other of cell) {
        if (this.#find(other) === root) continue;
        this.#comparisons++;
        if (tlshDistanceParsed(parsed, digests[other]!, threshold) <= threshold) root = this.#union(node, other);
      }
    }
    const list = this.#cells.get(home);
    if (list === undefined) this.#cells.set(home, [node]);
    else list.push(node);
    return this.#shas[this.#rep[this.#find(node)]!]!;
  }

  /** Cluster id of a known sample, or undefined. */
  clusterOf(sha256: string): string | undefined {
    const node = this.#bySha.get(sha256);
    return node === undefined ? undefined : this.#shas[this.#rep[this.#find(node)]!]!;
  }

  /** All clusters, members sorted, clusters ordered by id. O(n log n). */
  clusters(): Cluster[] {
    const groups = new Map<number, string[]>();
    for (let node = 0; node < this.#shas.length; node++) {
      const root = this.#find(node);
      const group = groups.get(root);
      if (group === undefined) groups.set(root, [this.#shas[node]!]);
      else group.push(this.#shas[node]!);
    }
    const out: Cluster[] = [];
    for (const [root, members] of groups) {
      out.push({ id: this.#shas[this.#rep[root]!]!, members: members.sort(), digested: this.#parsed[root] !== null });
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  #earlier(a: number, b: number): boolean {
    const fa = this.#firstSeen[a]!;
    const fb = this.#firstSeen[b]!;
    return fa !== fb ? fa < fb : this.#shas[a]! < this.#shas[b]!;
  }

  #find(node: number): number {
    let root = node;
    while (this.#parent[root] !== root) root = this.#parent[root]!;
    for (let n = node; n !== root; ) {
      const next = this.#parent[n]!;
      this.#parent[n] = root;
      n = next;
    }
    return root;
  }

  /** Merges the clusters of a and b and returns the new root. */
  #union(a: number, b: number): number {
    let ra = this.#find(a);
    let rb = this.#find(b);
    if (ra === rb) return ra;
    if (this.#size[ra]! < this.#size[rb]!) [ra, rb] = [rb, ra];
    this.#parent[rb] = ra;
    this.#size[ra] = this.#size[ra]! + this.#size[rb]!;
    if (this.#earlier(this.#rep[rb]!, this.#rep[ra]!)) this.#rep[ra] = this.#rep[rb]!;
    return ra;
  }
}

/** Batch form: the same result as adding the samples one by one, in any order. */
export function clusterSamples(samples: Iterable<SampleDigest>, options: { readonly threshold?: number } = {}): Cluster[] {
  const index = new VariantClusters(options);
  for (const sample of samples) index.addSample(sample);
  return index.clusters();
}
