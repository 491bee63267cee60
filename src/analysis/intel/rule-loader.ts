// Loads and validates the family rule files of a directory (families/<family>.yaml). Problems name the
// file, the line when known and the key path: `mirai.yaml:14: rules[0].strings[2].regex: ...`.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { familyFileSchema, type FamilyRule } from './rule-schema.ts';

export type LoadResult = { readonly ok: true; readonly rules: readonly FamilyRule[] } | { readonly ok: false; readonly problems: readonly string[] };

const MAX_FILE_BYTES = 256 * 1024;
const MAX_FILES = 200;

/** The rule files shipped beside this module. */
export function builtinFamiliesDir(): string {
  return fileURLToPath(new URL('./families/', import.meta.url));
}

export async function loadFamilyRules(dir: string = builtinFamiliesDir()): Promise<LoadResult> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (error) {
    return { ok: false, problems: [`${dir}: cannot read directory: ${error instanceof Error ? error.message : String(error)}`] };
  }
  if (names.length > MAX_FILES) return { ok: false, problems: [`${dir}: more than ${MAX_FILES} rule files`] };
  const problems: string[] = [];
  const rules: FamilyRule[] = [];
  const ids = new Map<string, string>();
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path);
    if (info.size > MAX_FILE_BYTES) {
      problems.push(`${name}: file is larger than ${MAX_FILE_BYTES} bytes`);
      continue;
    }
    const result = parseFamilyFile(await readFile(path, 'utf8'), name);
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    for (const rule of result.rules) {
      const first = ids.get(rule.id);
      if (first !== undefined) problems.push(`${name}: rule id "${rule.id}" is already used in ${first}`);
      ids.set(rule.id, name);
      rules.push(rule);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rules };
}

/** Parses one family file; `file` is the name used in problems and must be `<family>.yaml`. */
export function parseFamilyFile(text: string, file: string): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => `${file}${e.linePos ? `:${e.linePos[0].line}` : ''}: invalid YAML: ${e.message.split('\n')[0] ?? ''}`),
    };
  }
  const parsed = familyFileSchema.safeParse(doc.toJS({ maxAliasCount: 50 }));
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => formatIssue(file, doc, lineCounter, issue)) };
  const expected = file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  if (parsed.data.family !== expected) {
    return { ok: false, problems: [`${file}: family: "${parsed.data.family}" must match the file name ("${expected}")`] };
  }
  return { ok: true, rules: parsed.data.rules.map((r) => ({ ...r, family: parsed.data.family })) };
}

function formatIssue(file: string, doc: Document, lineCounter: LineCounter, issue: z.core.$ZodIssue): string {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const keyPath = path.length === 0 ? '(top level)' : path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  let line: number | null = null;
  for (let depth = path.length; depth >= 0 && line === null; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) line = lineCounter.linePos(node.range[0]).line;
  }
  const message = issue.code === 'invalid_union' ? 'no accepted form matches (see the rule schema)' : issue.message;
  return `${file}${line === null ? '' : `:${line}`}: ${keyPath}: ${message}`;
}
