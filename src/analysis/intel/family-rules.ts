// The pure-TypeScript family matcher: evaluates every rule against a sample's bytes (literals, with
// native indexOf) and its extracted ASCII strings (regexes), and returns the matches with their evidence.
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
  /** Byte patterns, any of which counts; `nocase` patterns are lowercase and search the lowered sample. */
  readonly patterns: readonly Buffer[];
  readonly nocase: boolean;
  readonly fullword: boolean;
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
  if (s.regex !== undefined) {
    return { name: s.name, patterns: [], nocase: s.nocase, fullword: false, regex: new RegExp(s.regex, s.nocase ? 'gi' : 'g') };
  }
  if (s.hex !== undefined) {
    return { name: s.name, patterns: [Buffer.from(s.hex.replace(/\s+/g, ''), 'hex')], nocase: false, fullword: false, regex: null };
  }
  const text = s.text ?? '';
  const ascii = Buffer.from(s.nocase ? lowerAscii(text) : text, 'latin1');
  const key = s.xor;
  const patterns = [key === undefined ? ascii : Buffer.from(ascii.map((b) => b ^ key))];
  if (s.wide) patterns.push(Buffer.from(s.nocase ? lowerAscii(text) : text, 'utf16le'));
  return { name: s.name, patterns, nocase: s.nocase, fullword: s.fullword, regex: null };
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
  const data = Buffer.from(sample.bytes.buffer, sample.bytes.byteOffset, sample.bytes.byteLength);
  let lowered: Buffer | null = null;
  const lower = (): Buffer => (lowered ??= lowerAsciiBytes(data));
  let strings = sample.strings ?? null;
  const ascii = (): readonly ExtractedString[] => (strings ??= extractStrings(sample.bytes).strings);
  const type = fileTypeOf(sample.bytes);
  const matches: RuleMatch[] = [];
  for (const { rule, strings: compiledStrings } of compiled.rules) {
    if (rule.fileTypes && (type === null || !rule.fileTypes.includes(type))) continue;
    if (rule.minSize !== undefined && data.length < rule.minSize) continue;
    if (rule.maxSize !== undefined && data.length > rule.maxSize) continue;
    const found = new Map<string, number[]>();
    for (const s of compiledStrings) {
      const offsets = s.regex ? regexOffsets(s.regex, ascii()) : literalOffsets(s, s.nocase ? lower() : data);
      if (offsets.length > 0) found.set(s.name, offsets);
    }
    const names = rule.strings.map((s) => s.name);
    if (!evaluate(rule.condition, names, found)) continue;
    const evidence = names.filter((n) => found.has(n)).map((name) => ({ name, offsets: found.get(name)! }));
    matches.push({ ruleId: rule.id, family: rule.family, variant: rule.variant, evidence, engine: 'builtin' });
  }
  return matches;
}

function literalOffsets(s: CompiledString, haystack: Buffer): number[] {
  const offsets: number[] = [];
  for (const pattern of s.patterns) {
    let from = 0;
    for (let scans = 0; scans < MAX_SCANS && offsets.length < MAX_OFFSETS; scans++) {
      const at = haystack.indexOf(pattern, from);
      if (at < 0) break;
      if (!s.fullword || (isWordBoundary(haystack, at - 1) && isWordBoundary(haystack, at + pattern.length))) offsets.push(at);
      from = at + 1;
    }
  }
  return offsets.sort((a, b) => a - b).slice(0, MAX_OFFSETS);
}

function lowerAsciiBytes(data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(data.length);
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    out[i] = b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
  }
  return out;
}

function isWordBoundary(data: Buffer, index: number): boolean {
  const b = data[index];
  if (b === undefined) return true;
  return !((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
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
