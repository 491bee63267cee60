// `hachi samples`: every captured file once by SHA-256, with where and when it was seen.
import { openStore } from '../../storage/store.ts';
import { formatTable } from '../table.ts';
import { dataDirFrom } from './data-dir.ts';

export interface SamplesOptions {
  readonly data?: string;
  readonly json?: boolean;
}

export function samplesCommand(options: SamplesOptions): void {
  const store = openStore(dataDirFrom(options.data));
  try {
    const samples = store.listSamples();
    if (options.json) {
      for (const s of samples) process.stdout.write(`${JSON.stringify(s)}\n`);
      return;
    }
    const rows = samples.map((s) => [s.sha256, String(s.size), String(s.count), new Date(s.lastSeen).toISOString().slice(0, 19), s.paths.join(' '), s.personas.join(' ')]);
    process.stdout.write(`${formatTable(['sha256', 'bytes', 'seen', 'last seen (UTC)', 'paths', 'personas'], rows, 64)}\n`);
  } finally {
    store.close();
  }
}
