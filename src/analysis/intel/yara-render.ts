// Renders family rules as YARA source, string for string and condition for condition, so Debian's
// `yara` and the pure matcher answer the same question. Rule names: "hachi_" + id with "_" for "-".
import type { Condition, FamilyRule, FileType, RuleString, Selector } from './rule-schema.ts';

export function yaraRuleName(id: string): string {
  return `hachi_${id.replace(/-/g, '_')}`;
}

export function renderYaraRules(rules: readonly FamilyRule[]): string {
  return rules.map(renderRule).join('\n');
}

function renderRule(rule: FamilyRule): string {
  const meta = [
    `    id = ${quote(rule.id)}`,
    `    family = ${quote(rule.family)}`,
    `    variant = ${quote(rule.variant ?? '')}`,
    `    description = ${quote(rule.description)}`,
    ...rule.references.map((r) => `    reference = ${quote(r)}`),
  ];
  const strings = rule.strings.map((s) => `    $${s.name} = ${renderString(s)}`);
  const guards: string[] = [];
  if (rule.fileTypes) guards.push(`(${rule.fileTypes.map(renderFileType).join(' or ')})`);
  if (rule.minSize !== undefined) guards.push(`filesize >= ${rule.minSize}`);
  if (rule.maxSize !== undefined) guards.push(`filesize <= ${rule.maxSize}`);
  guards.push(renderCondition(rule.condition));
  return [
    `rule ${yaraRuleName(rule.id)} : ${rule.family.replace(/-/g, '_')}`,
    '{',
    '  meta:',
    ...meta,
    '  strings:',
    ...strings,
    '  condition:',
    `    ${guards.join(' and ')}`,
    '}',
    '',
  ].join('\n');
}

function renderFileType(type: FileType): string {
  // ELF magic "\x7fELF" and "#!" read as little-endian integers at offset 0.
  return type === 'elf' ? 'uint32(0) == 0x464c457f' : 'uint16(0) == 0x2123';
}

function renderString(s: RuleString): string {
  if (s.hex !== undefined) return `{ ${s.hex.trim().split(/\s+/).join(' ')} }`;
  if (s.regex !== undefined) return `/${escapeRegexSlashes(s.regex)}/${s.nocase ? ' nocase' : ''}`;
  const modifiers: string[] = [];
  if (s.wide) modifiers.push('ascii', 'wide');
  if (s.nocase) modifiers.push('nocase');
  if (s.fullword) modifiers.push('fullword');
  if (s.xor !== undefined) modifiers.push(`xor(0x${s.xor.toString(16).padStart(2, '0')})`);
  return [quote(s.text ?? ''), ...modifiers].join(' ');
}

function renderCondition(c: Condition): string {
  if ('all' in c) return `all of ${renderSelector(c.all)}`;
  if ('any' in c) return `${c.min ?? 1} of ${renderSelector(c.any)}`;
  const parts = ('and' in c ? c.and : c.or).map(renderCondition);
  return `(${parts.join('and' in c ? ' and ' : ' or ')})`;
}

function renderSelector(sel: Selector): string {
  return sel === 'them' ? 'them' : `(${sel.map((n) => `$${n}`).join(', ')})`;
}

/** A YARA text string literal: quotes, backslashes and anything outside printable ASCII escaped. */
export function quote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += '?';
  }
  return `${out}"`;
}

/** "/" ends a YARA regex literal, so unescaped slashes are escaped. */
function escapeRegexSlashes(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '\\') {
      out += ch + (source[i + 1] ?? '');
      i++;
    } else out += ch === '/' ? '\\/' : ch;
  }
  return out;
}
