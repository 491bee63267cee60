// `hachi samples show SHA`: everything known about one sample (full hash or a unique prefix of at
// least 8 hex digits), as text or as one JSON object.
import { DEFAULT_CLUSTER_THRESHOLD } from '../../analysis/similarity/clusters.ts';
import { openStore } from '../../storage/store.ts';
import { createSampleReader } from '../sample-bytes.ts';
import { variantClusterOf } from '../sample-clusters.ts';
import { positiveInt } from '../sample-format.ts';
import { resolveSampleRef } from '../sample-ref.ts';
import { renderSampleText } from '../sample-show-text.ts';
import { dataDirFrom } from './data-dir.ts';

export interface SamplesShowOptions {
  readonly data?: string;
  readonly json?: boolean;
  readonly threshold?: string;
}

export async function samplesShowCommand(ref: string, options: SamplesShowOptions): Promise<void> {
  const dataDir = dataDirFrom(options.data);
  const threshold = options.threshold === undefined ? DEFAULT_CLUSTER_THRESHOLD : positiveInt(options.threshold, '--threshold', DEFAULT_CLUSTER_THRESHOLD, 1000);
  const store = openStore(dataDir);
  try {
    const sha256 = resolveSampleRef(store, ref);
    const sample = store.getSample(sha256);
    if (sample === null) throw new Error(`sample ${sha256} vanished from the store`);
    const detail = store.getSampleDetail(sha256);
    const stored = await createSampleReader(dataDir).read(sha256);
    const cluster = variantClusterOf(store.listDigests(), sha256, threshold);
    if (options.json) {
      const { ok } = stored;
      const storedJson = ok ? { present: true, verified: true } : { present: stored.reason === 'corrupt', verified: false, problem: stored.reason };
      process.stdout.write(`${JSON.stringify({ ...sample, stored: storedJson, ...detail, cluster })}\n`);
      return;
    }
    process.stdout.write(`${renderSampleText({ sample, detail, stored, cluster })}\n`);
  } finally {
    store.close();
  }
}
