// Word expansion in ash's order: tilde, parameters, $(...), $((...)), then field splitting on IFS,
// pathname expansion against the VFS, and quote removal. Every result is size-bounded.
import type { List, Word, WordPart } from '../parser/ast.ts';
import { ArithError, evaluateArithmetic } from './arithmetic.ts';
import { expandGlob } from './glob.ts';
import { hasGlobChars, unescapePattern } from './pattern.ts';
import { SearchTooCostly, replacePattern, trimPattern } from './pattern-search.ts';
import { LimitExceeded, trip } from './streams.ts';
import type { Shell } from './runtime.ts';

export interface ExpandHooks {
  /** Runs `$(...)` in a subshell; returns its stdout with trailing newlines removed. */
  commandSub(body: List): Promise<string>;
  /** Prints an error (ash style, no builtin name) and abandons the command line. */
  fail(message: string): never;
}

type Piece = { readonly text: string; readonly quoted: boolean; readonly split: boolean } | { readonly brk: true };

const DEFAULT_IFS = ' \t\n';

export function getVar(shell: Shell, name: string): string | undefined {
  switch (name) {
    case '?':
      return String(shell.state.lastStatus);
    case '$':
      return String(shell.env.pid);
    case '#':
      return String(shell.positional.length);
    case '!':
      return shell.lastBackgroundPid === null ? '' : String(shell.lastBackgroundPid);
    case '-':
      return shell.mode === 'interactive' ? 'smi' : '';
    case '0':
      return shell.arg0;
    case '@':
    case '*':
      return shell.positional.join(' ');
  }
  if (/^[0-9]+$/.test(name)) return shell.positional[Number(name) - 1];
  return shell.state.vars.get(name);
}

function checkSize(shell: Shell, length: number): void {
  const max = Math.max(shell.env.limits.maxFileBytes, 65536);
  if (length > max) throw trip(shell.env.budget, new LimitExceeded('output-bytes', max, `word expansion passed ${max} bytes`));
}

async function expandParts(shell: Shell, hooks: ExpandHooks, parts: readonly WordPart[], first: boolean): Promise<Piece[]> {
  const pieces: Piece[] = [];
  let total = 0;
  for (const [index, part] of parts.entries()) {
    if (part.type === 'lit') {
      let text = part.text;
      if (first && index === 0 && !part.quoted && /^~(\/|$)/.test(text)) text = (shell.state.vars.get('HOME') ?? '/') + text.slice(1);
      pieces.push({ text, quoted: part.quoted, split: false });
      continue;
    }
    let produced: Piece[];
    if (part.type === 'param') produced = await expandParam(shell, hooks, part);
    else if (part.type === 'length') produced = [{ text: String(setVar(shell, hooks, part.name).length), quoted: part.quoted, split: !part.quoted }];
    else if (part.type === 'replace' || part.type === 'substr') produced = [{ text: await expandEdit(shell, hooks, part), quoted: part.quoted, split: !part.quoted }];
    else if (part.type === 'cmdsub') produced = [{ text: await hooks.commandSub(part.body), quoted: part.quoted, split: !part.quoted }];
    else {
      const expr = await expandString(shell, hooks, part.expr);
      produced = [{ text: arithmetic(shell, hooks, expr), quoted: part.quoted, split: !part.quoted }];
    }
    for (const piece of produced) {
      if ('text' in piece) total += piece.text.length;
      pieces.push(piece);
    }
    checkSize(shell, total);
  }
  return pieces;
}

function arithmetic(shell: Shell, hooks: ExpandHooks, expr: string): string {
  try {
    const vars = { get: (name: string) => shell.state.vars.get(name), set: (name: string, value: string) => void shell.state.vars.set(name, value) };
    return evaluateArithmetic(expr, vars).toString();
  } catch (error) {
    if (error instanceof ArithError) hooks.fail(error.message);
    throw error;
  }
}

/** The value of a parameter that must be set under `set -u` ($@ and $* are exempt, as in ash). */
function setVar(shell: Shell, hooks: ExpandHooks, name: string): string {
  const value = getVar(shell, name);
  if (value !== undefined) return value;
  if (shell.options.nounset && name !== '@' && name !== '*') hooks.fail(`${name}: parameter not set`);
  return '';
}

/** ${x/p/r} ${x//p/r} ${x:off} ${x:off:len}, with ash's offset rules. */
async function expandEdit(shell: Shell, hooks: ExpandHooks, part: Extract<WordPart, { type: 'replace' | 'substr' }>): Promise<string> {
  const value = setVar(shell, hooks, part.name);
  const max = Math.max(shell.env.limits.maxFileBytes, 65536);
  try {
    if (part.type === 'replace') {
      const pattern = await expandPattern(shell, hooks, part.pattern);
      const replacement = part.replacement ? await expandString(shell, hooks, part.replacement) : '';
      return replacePattern(value, pattern, replacement, part.all, max);
    }
  } catch (error) {
    if (error instanceof SearchTooCostly) throw trip(shell.env.budget, new LimitExceeded('output-bytes', max, error.message));
    throw error;
  }
  const number = async (word: Word): Promise<number> => {
    const text = await expandString(shell, hooks, word);
    return Number(arithmetic(shell, hooks, text.trim() === '' ? '0' : text));
  };
  let pos = await number(part.offset);
  let len = part.length ? await number(part.length) : value.length;
  if (pos < 0) pos += value.length;
  // ash compares as unsigned: an offset out of range gives "", a too-negative length means "all".
  if (pos < 0 || pos >= value.length) return '';
  if (len < 0) len += value.length - pos;
  if (len < 0 || len > value.length - pos) len = value.length - pos;
  return value.slice(pos, pos + len);
}

async function expandParam(shell: Shell, hooks: ExpandHooks, part: Extract<WordPart, { type: 'param' }>): Promise<Piece[]> {
  const { name, op, quoted } = part;
  if (name === '@' && quoted && op === null) {
    const pieces: Piece[] = [];
    shell.positional.forEach((value, i) => {
      if (i > 0) pieces.push({ brk: true });
      pieces.push({ text: value, quoted: true, split: false });
    });
    return pieces;
  }
  let value = getVar(shell, name);
  if (name === '*' && quoted) value = shell.positional.join((shell.state.vars.get('IFS') ?? ' ').slice(0, 1));
  if (name === '@' && shell.positional.length === 0) value = undefined;
  const plain = (text: string): Piece[] => [{ text, quoted, split: !quoted }];
  if (op === null) return plain(value ?? setVar(shell, hooks, name));
  const isSet = value !== undefined && (!op.startsWith(':') || value !== '');
  const argText = async (): Promise<string> => (part.arg ? expandString(shell, hooks, part.arg) : '');
  switch (op) {
    case '-':
    case ':-':
      return plain(isSet ? value! : await argText());
    case '=':
    case ':=': {
      if (isSet) return plain(value!);
      const assigned = await argText();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) hooks.fail(`${name}: bad variable name`);
      shell.state.vars.set(name, assigned);
      return plain(assigned);
    }
    case '?':
    case ':?': {
      if (isSet) return plain(value!);
      const message = await argText();
      return hooks.fail(`${name}: ${message === '' ? 'parameter not set' : message}`);
    }
    case '+':
    case ':+':
      return plain(isSet ? await argText() : '');
    default: {
      const subject = setVar(shell, hooks, name);
      const pattern = part.arg ? await expandPattern(shell, hooks, part.arg) : '';
      try {
        return plain(trimPattern(subject, pattern, op));
      } catch (error) {
        if (!(error instanceof SearchTooCostly)) throw error;
        throw trip(shell.env.budget, new LimitExceeded('output-bytes', value?.length ?? 0, error.message));
      }
    }
  }
}

/** Expands a word to one string: no field splitting or globbing (assignments, redirect targets). */
export async function expandString(shell: Shell, hooks: ExpandHooks, word: Word): Promise<string> {
  const pieces = await expandParts(shell, hooks, word.parts, true);
  return pieces.map((p) => ('text' in p ? p.text : ' ')).join('');
}

/** Expands a word to a pattern: quoted chars are backslash-escaped, unquoted ones stay special. */
export async function expandPattern(shell: Shell, hooks: ExpandHooks, word: Word): Promise<string> {
  const pieces = await expandParts(shell, hooks, word.parts, true);
  return pieces.map((p) => ('text' in p ? (p.quoted ? escapeGlob(p.text) : p.text) : ' ')).join('');
}

function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, '\\$&');
}

/** Expands command words into fields (argv). */
export async function expandWords(shell: Shell, hooks: ExpandHooks, words: readonly Word[]): Promise<string[]> {
  const out: string[] = [];
  for (const word of words) {
    const pieces = await expandParts(shell, hooks, word.parts, true);
    const literal = literalField(pieces);
    if (literal !== null) {
      out.push(literal);
      checkSize(shell, out.length * 8);
      continue;
    }
    for (const field of splitFields(pieces, shell.state.vars.get('IFS') ?? DEFAULT_IFS)) {
      if (!shell.options.noglob && hasGlobChars(field)) {
        const matches = expandGlob(shell.env.fs, shell.state.cwd, field);
        if (matches.length > 0) {
          out.push(...matches);
          continue;
        }
      }
      out.push(unescapePattern(field));
    }
    checkSize(shell, out.length * 8);
  }
  return out;
}

/**
 * The one field of a word that needs no splitting or globbing (quoted text, or unquoted literal
 * text without glob characters or backslashes) — most words bots type; null otherwise.
 */
function literalField(pieces: readonly Piece[]): string | null {
  let text = '';
  for (const piece of pieces) {
    if (!('text' in piece) || piece.split) return null;
    if (!piece.quoted && /[*?[\\]/.test(piece.text)) return null;
    text += piece.text;
  }
  return pieces.length === 0 ? null : text;
}

/** Splits pieces on IFS; returns fields as escaped patterns (quoted chars backslash-escaped). */
function splitFields(pieces: readonly Piece[], ifs: string): string[] {
  const fields: string[] = [];
  let current: string | null = null;
  for (const piece of pieces) {
    if (!('text' in piece)) {
      fields.push(current ?? '');
      current = '';
      continue;
    }
    if (!piece.split) {
      current = (current ?? '') + (piece.quoted ? escapeGlob(piece.text) : piece.text.replace(/\\/g, '\\\\'));
      continue;
    }
    for (const ch of piece.text) {
      if (ifs.includes(ch)) {
        if (' \t\n'.includes(ch)) {
          if (current !== null) fields.push(current);
          current = null;
        } else {
          fields.push(current ?? '');
          current = null;
        }
      } else current = (current ?? '') + (ch === '\\' ? '\\\\' : ch);
    }
  }
  if (current !== null) fields.push(current);
  return fields;
}
