// The data directory a read command works on: --data, else ./data (the run default).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { HachiError } from '../../core/errors.ts';

export function dataDirFrom(option: string | undefined): string {
  const dir = resolve(option ?? 'data');
  if (!existsSync(dir)) throw new HachiError('HACHI_ERR_NOT_FOUND', `data directory ${dir} does not exist (run \`hachi run\` first or pass --data DIR)`);
  return dir;
}
