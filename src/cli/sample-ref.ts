// Turns what the analyst typed (a full SHA-256 or a unique prefix of at least 8 hex digits) into the
// one sample it names, or a clear failure: too short, unknown, or ambiguous (with the candidates).
import { HachiError } from '../core/errors.ts';
import type { Store } from '../storage/store.ts';
import { CliFailure, EXIT_UNKNOWN_SAMPLE } from './cli-failure.ts';

export const MIN_PREFIX = 8;

export function resolveSampleRef(store: Store, ref: string): string {
  const prefix = ref.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(prefix) || prefix.length < MIN_PREFIX || prefix.length > 64) {
    throw new HachiError('HACHI_ERR_USAGE', `a sample is named by its SHA-256 or a prefix of at least ${MIN_PREFIX} hex digits, not ${JSON.stringify(ref.slice(0, 80))}`);
  }
  const found = store.resolveSample(prefix, 6);
  if (found.length === 0) throw new CliFailure('HACHI_ERR_NOT_FOUND', `no sample ${prefix} in the store`, EXIT_UNKNOWN_SAMPLE);
  if (found.length > 1) {
    const shown = found.slice(0, 5).join(', ');
    throw new HachiError('HACHI_ERR_USAGE', `${prefix} is ambiguous: ${shown}${found.length > 5 ? ', ...' : ''}; give more digits`);
  }
  return found[0]!;
}
