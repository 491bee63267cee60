// `hachi samples`: every captured file once by SHA-256, most recently seen first, with its verdict
// (kind, CPU, family), when and how often it was seen, and where it came from.
import { openStore } from '../../storage/store.ts';
import { positiveInt, shortSha, utcMinute, verdict } from '../sample-format.ts';
import { formatTable } from '../table.ts';
import { dataDirFrom } from './data-dir.ts';

export interface SamplesOptions {
  readonly data?: string;
  readonly json?: boolean;
  readonly family?: string;
  readonly arch?: string;
  readonly limit?: string;
}

export const DEFAULT_SAMPLE_LIMIT = 100;

export function samplesCommand(options: SamplesOptions): void {
  const limit = positiveInt(options.limit, '--limit', DEFAULT_SAMPLE_LIMIT, 100_000);
  const store = openStore(dataDirFrom(options.data));
  try {
    const samples = store.listSamples({ family: options.family, arch: options.arch, limit });
    if (options.json) {
      for (const s of samples) process.stdout.write(`${JSON.stringify(s)}\n`);
      return;
    }
    const rows = samples.map((s) => [
      shortSha(s.sha256),
      String(s.size),
      s.kind ?? '-',
      s.arch ?? '-',
      verdict(s),
      utcMinute(s.firstSeen),
      utcMinute(s.lastSeen),
      String(s.count),
      s.evictedAt === null ? 'yes' : 'evicted',
      s.foundIn !== null ? `inside ${shortSha(s.foundIn)}` : (s.source ?? '-'),
    ]);
    process.stdout.write(`${formatTable(['sha256', 'bytes', 'kind', 'arch', 'family', 'first seen (UTC)', 'last seen (UTC)', 'count', 'stored', 'source'], rows, 64)}\n`);
    const pending = samples.filter((s) => s.kind === null && s.evictedAt === null).length;
    if (pending > 0) process.stderr.write(`${pending} not analysed yet: hachi samples analyse --missing\n`);
    if (samples.length === limit) process.stderr.write(`showing the first ${limit}; --limit N shows more\n`);
  } finally {
    store.close();
  }
}
