// Parses persona.yaml text against the pack schema. Problems name the file, the line when known,
// the key path and what is wrong: `personas/foo/persona.yaml:12: arch.elf.machine: expected number, got "arm"`.
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { packSchema, type PackYaml } from './schema.ts';

export type ParseResult = { readonly ok: true; readonly pack: PackYaml } | { readonly ok: false; readonly problems: string[] };

/** Largest persona.yaml accepted: a pack is data, not a place for megabytes of text. */
const MAX_YAML_BYTES = 1024 * 1024;

export function parsePackYaml(text: string, file: string): ParseResult {
  const parsed = parseYamlWith(packSchema, text, file);
  return parsed.ok ? { ok: true, pack: parsed.value } : parsed;
}

/** Parses YAML text against any pack-file schema (persona.yaml, web.yaml) with the same problem format. */
export function parseYamlWith<T>(
  schema: z.ZodType<T>,
  text: string,
  file: string,
): { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: string[] } {
  if (text.length > MAX_YAML_BYTES) return { ok: false, problems: [`${file}: file is larger than ${MAX_YAML_BYTES} bytes`] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => {
        const line = error.linePos ? `:${error.linePos[0].line}` : '';
        return `${file}${line}: invalid YAML: ${error.message.split('\n')[0] ?? ''}`;
      }),
    };
  }
  const result = schema.safeParse(doc.toJS({ maxAliasCount: 100 }), { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: result.error.issues.map((issue) => formatIssue(file, doc, lineCounter, issue)) };
}

export function formatKeyPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

function formatIssue(file: string, doc: Document, lineCounter: LineCounter, issue: z.core.$ZodIssue): string {
  const line = lineOf(doc, lineCounter, issue.path);
  return `${file}${line === null ? '' : `:${line}`}: ${formatKeyPath(issue.path)}: ${describeIssue(issue)}`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `missing (expected ${issue.expected})`;
      return `expected ${issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(issue.input)}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_format':
      return `${issue.message}, got ${describeValue(issue.input)}`;
    case 'invalid_union':
      return `no accepted form matches ${describeValue(issue.input)}`;
    default:
      return issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

/** Line of the deepest node along `path` that exists (the parent mapping for a missing key). */
function lineOf(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): number | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const keys = path.slice(0, depth).map((p) => (typeof p === 'symbol' ? String(p) : p));
    const node = depth === 0 ? doc.contents : doc.getIn(keys, true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return null;
}
