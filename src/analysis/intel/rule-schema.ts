// The schema of families/<family>.yaml: family rules as data. Each rule names its strings (text, hex or
// regex) and a condition over them that both the pure matcher and the YARA renderer understand.
import { z } from 'zod';
import { regexProblem } from './safe-regex.ts';

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, { message: 'expected a name like "cmd_ping" (letters, digits, "_")' });
const kebab = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { message: 'expected lowercase letters, digits and "-"' });
const hexBytes = z
  .string()
  .regex(/^\s*[0-9a-fA-F]{2}(\s+[0-9a-fA-F]{2})*\s*$/, { message: 'expected hex bytes separated by spaces, like "7f 45 4c 46"' });

const ruleString = z
  .strictObject({
    name: identifier,
    text: z
      .string()
      .min(1)
      .max(512)
      .regex(/^[\x01-\xff]+$/, { message: 'text must be Latin-1 (use hex for other bytes)' })
      .optional(),
    hex: hexBytes.optional(),
    regex: z.string().min(3).max(256).optional(),
    /** ASCII case-insensitive (text and regex). */
    nocase: z.boolean().default(false),
    /** Also match the UTF-16LE form (text only). */
    wide: z.boolean().default(false),
    /** Not preceded or followed by a letter or digit (text only). */
    fullword: z.boolean().default(false),
    /** Match the text XORed with this byte, as Mirai-style tables store it (text only). */
    xor: z.int().min(1).max(255).optional(),
  })
  .superRefine((s, ctx) => {
    const kinds = [s.text, s.hex, s.regex].filter((k) => k !== undefined).length;
    if (kinds !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of "text", "hex" or "regex"' });
    if (s.hex !== undefined && (s.nocase || s.wide || s.fullword || s.xor !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'hex strings take no modifiers' });
    }
    if (s.regex !== undefined) {
      if (s.wide || s.fullword || s.xor !== undefined) ctx.addIssue({ code: 'custom', message: 'regex strings take only "nocase"' });
      const problem = regexProblem(s.regex);
      if (problem !== null) ctx.addIssue({ code: 'custom', path: ['regex'], message: problem });
    }
    if (s.fullword && s.wide) ctx.addIssue({ code: 'custom', message: '"fullword" cannot be combined with "wide"' });
    if (s.xor !== undefined && (s.nocase || s.wide)) ctx.addIssue({ code: 'custom', message: '"xor" cannot be combined with "nocase" or "wide"' });
  });

/** String names, or "prefix_*" for every string whose name starts with "prefix_", or "them" for all. */
const selector = z.union([z.literal('them'), z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\*?$/)).min(1)]);

export type Selector = z.infer<typeof selector>;
export type Condition =
  | { readonly all: Selector }
  | { readonly any: Selector; readonly min?: number | undefined }
  | { readonly and: readonly Condition[] }
  | { readonly or: readonly Condition[] };

const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: selector }),
    z.strictObject({ any: selector, min: z.int().min(1).max(64).optional() }),
    z.strictObject({ and: z.array(condition).min(1).max(16) }),
    z.strictObject({ or: z.array(condition).min(1).max(16) }),
  ]),
);

export const fileTypes = ['elf', 'shell-script'] as const;
export type FileType = (typeof fileTypes)[number];

const ruleSchema = z
  .strictObject({
    id: kebab,
    /** null for the family's base form. */
    variant: kebab.nullable().default(null),
    description: z.string().min(1).max(500),
    /** Public write-ups or sources the strings come from. */
    references: z.array(z.url()).min(1).max(10),
    /** Absent: any file. */
    fileTypes: z.array(z.enum(fileTypes)).min(1).optional(),
    minSize: z.int().min(0).optional(),
    maxSize: z.int().min(1).optional(),
    strings: z.array(ruleString).min(1).max(64),
    condition,
  })
  .superRefine((rule, ctx) => {
    const names = new Set<string>();
    rule.strings.forEach((s, i) => {
      if (names.has(s.name)) ctx.addIssue({ code: 'custom', path: ['strings', i, 'name'], message: `duplicate string name "${s.name}"` });
      names.add(s.name);
    });
    for (const name of selectorNames(rule.condition)) {
      const matched = name.endsWith('*') ? [...names].some((n) => n.startsWith(name.slice(0, -1))) : names.has(name);
      if (!matched) ctx.addIssue({ code: 'custom', path: ['condition'], message: `condition names "${name}", which is no string of this rule` });
    }
    if (rule.minSize !== undefined && rule.maxSize !== undefined && rule.minSize > rule.maxSize) {
      ctx.addIssue({ code: 'custom', path: ['maxSize'], message: 'maxSize is below minSize' });
    }
  });

export const familyFileSchema = z.strictObject({
  family: kebab,
  rules: z.array(ruleSchema).min(1).max(32),
});

export type RuleString = z.infer<typeof ruleString>;
export type FamilyFile = z.infer<typeof familyFileSchema>;
export type FamilyRule = z.infer<typeof ruleSchema> & { readonly family: string };

function selectorNames(c: Condition): string[] {
  if ('all' in c) return c.all === 'them' ? [] : [...c.all];
  if ('any' in c) return c.any === 'them' ? [] : [...c.any];
  return ('and' in c ? c.and : c.or).flatMap(selectorNames);
}

/** The string names a selector stands for, in rule order. */
export function expandSelector(sel: Selector, names: readonly string[]): string[] {
  if (sel === 'them') return [...names];
  const out = new Set<string>();
  for (const s of sel) {
    if (s.endsWith('*')) for (const n of names) if (n.startsWith(s.slice(0, -1))) out.add(n);
    else out.add(s);
  }
  return [...out];
}
