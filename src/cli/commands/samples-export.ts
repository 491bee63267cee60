// `hachi samples export SHA`: the sample as `<sha256>.zip` encrypted with the password "infected", or
// with --raw and the acknowledgement flag its raw bytes (standard output unless --out, never a terminal).
import { openStore } from '../../storage/store.ts';
import { CliFailure, EXIT_SAMPLE_GONE } from '../cli-failure.ts';
import { createSampleReader } from '../sample-bytes.ts';
import { checkRawAllowed, exportSample } from '../sample-export.ts';
import { utcSecond } from '../sample-format.ts';
import { resolveSampleRef } from '../sample-ref.ts';
import { dataDirFrom } from './data-dir.ts';

export interface SamplesExportOptions {
  readonly data?: string;
  readonly out?: string;
  readonly raw?: boolean;
  readonly iUnderstandThisIsLiveMalware?: boolean;
  readonly force?: boolean;
}

export async function samplesExportCommand(ref: string, options: SamplesExportOptions): Promise<void> {
  const raw = options.raw === true;
  const acknowledged = options.iUnderstandThisIsLiveMalware === true;
  checkRawAllowed(raw, acknowledged);
  const dataDir = dataDirFrom(options.data);
  const store = openStore(dataDir);
  let sha256: string;
  let firstSeen: number;
  let evictedAt: number | null;
  try {
    sha256 = resolveSampleRef(store, ref);
    const sample = store.getSample(sha256);
    firstSeen = sample?.firstSeen ?? Date.now();
    evictedAt = sample?.evictedAt ?? null;
  } finally {
    store.close();
  }
  const stored = await createSampleReader(dataDir).read(sha256);
  if (!stored.ok) {
    const why = evictedAt !== null && stored.reason === 'missing'
      ? `sample ${sha256} was evicted from the artifact store ${utcSecond(evictedAt)}; only its metadata is left (hachi samples show ${sha256.slice(0, 16)})`
      : stored.detail;
    throw new CliFailure('HACHI_ERR_NOT_FOUND', why, EXIT_SAMPLE_GONE);
  }
  const result = await exportSample({ sha256, bytes: stored.bytes, firstSeen, raw, acknowledged, out: options.out, force: options.force, cwd: process.cwd(), stdout: process.stdout });
  const what = result.format === 'zip' ? `zip, password "infected", entry ${sha256}` : 'raw bytes: live malware';
  process.stderr.write(`wrote ${result.target === '-' ? 'standard output' : result.target} (${result.bytes} bytes, ${what})\n`);
}
