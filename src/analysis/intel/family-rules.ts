// The pure-TypeScript family matcher: evaluates every rule against a sample's bytes (literals, all in
// one pass) and its extracted ASCII strings (regexes), and returns the matches with their evidence.
import { findLiterals, type LiteralPattern } from './literal-scan.ts';
import { expandSelector, type Condition, type FamilyRule, type FileType, type RuleString } from './rule-schema.ts';
import { extractStrings, type ExtractedString } from './strings.ts';

export interface StringEvidence {
  readonly name: string;
  /** First offsets where the string was found (at most `maxOffsets`). */
  readonly offsets: readonly number[];
}

export interface RuleMatch {
  readonly ruleId: string;
  readonly family: string;
  readonly variant: string | null;
  readonly evidence: readonly StringEvidence[];
  readonly engine: 'builtin' | 'yara';
}

export interface SampleInput {
  readonly bytes: Uint8Array;
  /** Extracted strings when the caller has them already; extracted here otherwise. */
  readonly strings?: readonly ExtractedString[];
}

interface CompiledString {
  readonly name: string;
  /** Byte patterns, any of which counts; `nocase` patterns are lowercase and match the lowered sample. */
  readonly patterns: readonly LiteralPattern[];
  readonly regex: RegExp | null;
}

interface CompiledRule {
  readonly rule: FamilyRule;
  readonly strings: readonly CompiledString[];
}

export interface CompiledRules {
  readonly rules: readonly CompiledRule[];
}

const MAX_OFFSETS = 8;
/** Occurrences inspected per pattern, so a fullword string in a sea of near-misses stays bounded. */
const MAX_SCANS = 10_000;

export function compileRules(rules: readonly FamilyRule[]): CompiledRules {
  return { rules: rules.map((rule) => ({ rule, strings: rule.strings.map(compileString) })) };
}

function compileString(s: RuleString): CompiledString {
  if (s.regex !== undefined) return { name: s.name, patterns: [], regex: new RegExp(s.regex, s.nocase ? 'gi' : 'g') };
  if (s.hex !== undefined) {
    return { name: s.name, patterns: [{ bytes: Buffer.from(s.hex.replace(/\s+/g, ''), 'hex'), nocase: false, fullword: false }], regex: null };
  }
  const text = s.text ?? '';
  const ascii = Buffer.from(s.nocase ? lowerAscii(text) : text, 'latin1');
  const key = s.xor;
  const variants = [key === undefined ? ascii : Buffer.from(ascii.map((b) => b ^ key))];
  if (s.wide) variants.push(Buffer.from(s.nocase ? lowerAscii(text) : text, 'utf16le'));
  return { name: s.name, patterns: variants.map((bytes) => ({ bytes, nocase: s.nocase, fullword: s.fullword })), regex: null };
}

function lowerAscii(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

export function fileTypeOf(bytes: Uint8Array): FileType | null {
  if (bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return 'elf';
  if (bytes[0] === 0x23 && bytes[1] === 0x21) return 'shell-script';
  return null;
}

export function matchRules(compiled: CompiledRules, sample: SampleInput): RuleMatch[] {
  const size = sample.bytes.byteLength;
  let strings = sample.strings ?? null;
  const ascii = (): readonly ExtractedString[] => (strings ??= extractStrings(sample.bytes).strings);
  const type = fileTypeOf(sample.bytes);
  const applicable = compiled.rules.filter(({ rule }) => {
    if (rule.fileTypes && (type === null || !rule.fileTypes.includes(type))) return false;
    if (rule.minSize !== undefined && size < rule.minSize) return false;
    return rule.maxSize === undefined || size <= rule.maxSize;
  });
  // Every literal of every applicable rule, found in one pass over the sample.
  const hits = findLiterals(
    sample.bytes,
    applicable.flatMap(({ strings: compiledStrings }) => compiledStrings.flatMap((s) => s.patterns)),
    MAX_OFFSETS,
    MAX_SCANS,
  );
  let next = 0;
  const matches: RuleMatch[] = [];
  for (const { rule, strings: compiledStrings } of applicable) {
    const found = new Map<string, number[]>();
    for (const s of compiledStrings) {
      const offsets = s.regex ? regexOffsets(s.regex, ascii()) : literalOffsets(hits.slice(next, (next += s.patterns.length)));
      if (offsets.length > 0) found.set(s.name, offsets);
    }
    const names = rule.strings.map((s) => s.name);
    if (!evaluate(rule.condition, names, found)) continue;
    const evidence = names.filter((n) => found.has(n)).map((name) => ({ name, offsets: found.get(name)! }));
    matches.push({ ruleId: rule.id, family: rule.family, variant: rule.variant, evidence, engine: 'builtin' });
  }
  return matches;
}

/** A string's offsets from its patterns' hits: patterns in order until MAX_OFFSETS, then sorted. */
function literalOffsets(perPattern: readonly (readonly number[])[]): number[] {
  const offsets: number[] = [];
  for (const hits of perPattern) for (const at of hits) if (offsets.length < MAX_OFFSETS) offsets.push(at);
  return offsets.sort((a, b) => a - b);
}

function regexOffsets(re: RegExp, strings: readonly ExtractedString[]): number[] {
  const offsets: number[] = [];
  for (const s of strings) {
    if (s.encoding !== 'ascii') continue;
    re.lastIndex = 0;
    const m = re.exec(s.text);
    if (m) offsets.push(s.offset + m.index);
    if (offsets.length >= MAX_OFFSETS) break;
  }
  return offsets;
}

function evaluate(c: Condition, names: readonly string[], found: ReadonlyMap<string, unknown>): boolean {
  if ('all' in c) return expandSelector(c.all, names).every((n) => found.has(n));
  if ('any' in c) return expandSelector(c.any, names).filter((n) => found.has(n)).length >= (c.min ?? 1);
  if ('and' in c) return c.and.every((x) => evaluate(x, names, found));
  return c.or.some((x) => evaluate(x, names, found));
}
