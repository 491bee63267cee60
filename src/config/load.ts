// Reads and validates the YAML configuration; every error names the file, the key path and the problem.
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { HachiError } from '../core/errors.ts';
import { configSchema, type Config } from './schema.ts';

/** Validates an already-parsed value; `source` names where it came from in messages. */
export function parseConfig(value: unknown, source: string): Config {
  const result = configSchema.safeParse(value ?? {});
  if (result.success) return result.data;
  throw new HachiError('HACHI_ERR_CONFIG', formatIssues(source, result.error.issues));
}

export async function loadConfigFile(path: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new HachiError('HACHI_ERR_CONFIG_READ', `${path}: cannot read: ${(error as Error).message}`, { cause: error });
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const where = first.linePos ? `line ${first.linePos[0].line}, column ${first.linePos[0].col}: ` : '';
    throw new HachiError('HACHI_ERR_CONFIG_READ', `${path}: ${where}invalid YAML: ${first.message.split('\n')[0]}`);
  }
  return parseConfig(doc.toJS(), path);
}

export function formatIssues(source: string, issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const key = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
      const detail = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
      return `${source}: ${key}: ${detail}`;
    })
    .join('\n');
}
