// Tokeniser for ash source: operators, redirections and words with their quoting and expansions.
// Context-sensitive like ash: `$(` hands control back to the parser through `subParser`.
import type { ParamOp, RedirOp, Word, WordPart, List } from './ast.ts';
import { ShellSyntaxError, type ParseLimits } from './syntax-error.ts';

export type Token =
  | { readonly kind: 'word'; readonly word: Word; readonly line: number }
  | { readonly kind: 'op'; readonly op: string; readonly line: number }
  | { readonly kind: 'redir'; readonly op: RedirOp; readonly fd: number | null; readonly line: number }
  | { readonly kind: 'eof'; readonly line: number };

export interface SubParsers {
  /** Parses a command list from the lexer's position up to and including the closing `)`. */
  commandSub(lexer: Lexer): List;
  /** Parses a whole string (backquote contents) at one more level of nesting. */
  source(text: string, depth: number, limits: ParseLimits): List;
}

interface PendingHeredoc {
  readonly delimiter: string;
  readonly quoted: boolean;
  readonly stripTabs: boolean;
  readonly resolve: (body: Word) => void;
}

const META = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
const OPERATORS = ['&&', '||', ';;', '<<-', '<<', '>>', '<&', '>&', '<>', '>|', ';', '&', '|', '(', ')', '<', '>', '\n'];
const REDIRS = new Set<string>(['<<-', '<<', '>>', '<&', '>&', '<>', '>|', '<', '>']);
const SPECIAL_PARAMS = new Set(['?', '$', '#', '!', '-', '@', '*', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
const PARAM_OPS: readonly ParamOp[] = [':-', ':=', ':?', ':+', '##', '%%', '-', '=', '?', '+', '#', '%'];

export function isName(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(text);
}

export class Lexer {
  /** Not readonly: alias expansion splices an alias's text in at the command word. */
  src: string;
  pos = 0;
  line: number;
  depth: number;
  readonly limits: ParseLimits;
  private readonly sub: SubParsers;
  private readonly heredocs: PendingHeredoc[] = [];
  /** Typed input: a heredoc without its delimiter line yet is unfinished, not ended by EOF. */
  interactive = false;

  constructor(src: string, sub: SubParsers, limits: ParseLimits, depth = 0, line = 0) {
    if (src.length > limits.maxLength) throw new ShellSyntaxError('input too long', false, 0);
    this.src = src;
    this.sub = sub;
    this.limits = limits;
    this.depth = depth;
    this.line = line;
  }

  error(message: string, incomplete = false): ShellSyntaxError {
    return new ShellSyntaxError(message, incomplete, this.line);
  }

  enter(): void {
    this.depth += 1;
    if (this.depth > this.limits.maxDepth) throw this.error('nesting too deep');
  }

  leave(): void {
    this.depth -= 1;
  }

  /** Registers a heredoc whose body starts after the next newline. */
  addHeredoc(delimiter: Word, stripTabs: boolean, resolve: (body: Word) => void): void {
    const quoted = delimiter.parts.some((p) => p.type === 'lit' && p.quoted);
    const text = delimiter.parts.map((p) => (p.type === 'lit' ? p.text : '')).join('');
    this.heredocs.push({ delimiter: text, quoted, stripTabs, resolve });
  }

  next(): Token {
    this.skipBlanks();
    const line = this.line;
    const c = this.src[this.pos];
    if (c === undefined) {
      this.readHeredocBodies();
      return { kind: 'eof', line };
    }
    // An all-digit word directly before < or > is the fd of a redirection (2>&1).
    const fdMatch = /^[0-9]+(?=[<>])/.exec(this.src.slice(this.pos, this.pos + 12));
    if (fdMatch) {
      this.pos += fdMatch[0].length;
      const op = this.readOperator();
      if (op !== null && REDIRS.has(op)) return { kind: 'redir', op: op as RedirOp, fd: Number(fdMatch[0]), line };
      throw this.error('bad fd');
    }
    if (META.has(c)) {
      const op = this.readOperator();
      if (op === null) throw this.error(`unexpected "${c}"`);
      if (op === '\n') {
        this.line += 1;
        this.readHeredocBodies();
      }
      if (REDIRS.has(op)) return { kind: 'redir', op: op as RedirOp, fd: null, line };
      return { kind: 'op', op, line };
    }
    const start = this.pos;
    const parts = this.readParts('word');
    return { kind: 'word', word: { parts, raw: this.src.slice(start, this.pos) }, line };
  }

  private readOperator(): string | null {
    for (const op of OPERATORS) {
      if (this.src.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    return null;
  }

  private skipBlanks(): void {
    for (;;) {
      const c = this.src[this.pos];
      if (c === ' ' || c === '\t') this.pos += 1;
      else if (c === '\\' && this.src[this.pos + 1] === '\n') {
        this.pos += 2;
        this.line += 1;
      } else if (c === '#') {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos += 1;
      } else return;
    }
  }

  /**
   * Reads word parts. Modes: 'word' stops at a metacharacter; 'brace' at the `}` closing `${`;
   * 'arith' at the `))` closing `$((`; 'dquote' at `"`; 'heredoc' at the end of the text.
   */
  readParts(mode: 'word' | 'brace' | 'arith' | 'dquote' | 'heredoc', quotedCtx = false, braceStops = '}', patternCtx = false): WordPart[] {
    const parts: WordPart[] = [];
    let lit = '';
    let litQuoted = quotedCtx;
    const pushLit = (text: string, quoted: boolean): void => {
      if (lit !== '' && litQuoted !== quoted) flush();
      litQuoted = quoted;
      lit += text;
    };
    const flush = (): void => {
      if (lit !== '') parts.push({ type: 'lit', text: lit, quoted: litQuoted });
      lit = '';
    };
    const inQuotes = mode === 'dquote' || mode === 'heredoc' || quotedCtx;
    let parens = 0;
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined) {
        if (mode === 'word' || mode === 'heredoc') break;
        if (mode === 'brace') throw this.error("missing '}'", true);
        if (mode === 'arith') throw this.error("missing '))'", true);
        throw this.error('unterminated quoted string', true);
      }
      if (mode === 'word' && META.has(c)) break;
      if (mode === 'brace' && braceStops.includes(c)) break;
      if (mode === 'dquote' && c === '"') break;
      if (mode === 'arith') {
        if (c === '(') parens += 1;
        if (c === ')') {
          if (parens === 0 && this.src[this.pos + 1] === ')') break;
          parens = Math.max(0, parens - 1);
        }
      }
      if (c === '\n') this.line += 1;
      if (c === '\\') {
        const n = this.src[this.pos + 1];
        if (n === '\n') {
          this.pos += 2;
          this.line += 1;
          continue;
        }
        if (n === undefined) {
          pushLit('\\', inQuotes);
          this.pos += 1;
          continue;
        }
        if (inQuotes && !'$`"\\'.includes(n) && !(mode === 'brace' && braceStops.includes(n))) {
          pushLit('\\', true);
          this.pos += 1;
          continue;
        }
        if (mode === 'heredoc' && n === '"') {
          pushLit('\\"', true);
          this.pos += 2;
          continue;
        }
        pushLit(n, true);
        this.pos += 2;
        continue;
      }
      if (c === "'" && !inQuotes) {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) throw this.error('unterminated quoted string', true);
        const text = this.src.slice(this.pos + 1, end);
        this.line += countNewlines(text);
        pushLit(text, true);
        if (text === '') {
          flush();
          parts.push({ type: 'lit', text: '', quoted: true });
        }
        this.pos = end + 1;
        continue;
      }
      // Quotes nest inside "${x%"p"}": the inner pair quotes the pattern text.
      if (c === '"' && (!inQuotes || mode === 'brace')) {
        this.pos += 1;
        flush();
        const inner = this.readParts('dquote', true);
        this.pos += 1;
        if (inner.length === 0) parts.push({ type: 'lit', text: '', quoted: true });
        else parts.push(...inner);
        continue;
      }
      if (c === '$') {
        const part = this.readDollar(inQuotes);
        if (part === null) {
          pushLit('$', inQuotes);
          continue;
        }
        flush();
        parts.push(part);
        continue;
      }
      if (c === '`') {
        flush();
        parts.push(this.readBackquote(inQuotes));
        continue;
      }
      // Inside "${x#p}" the pattern's own chars stay special; only escapes and quotes in it quote.
      pushLit(c, inQuotes && !patternCtx);
      this.pos += 1;
    }
    flush();
    return parts;
  }

  /** At a `$`: returns the expansion, or null (and consumes the `$`) when it is a plain dollar. */
  private readDollar(quoted: boolean): WordPart | null {
    const n = this.src[this.pos + 1];
    if (n === '{') {
      this.pos += 2;
      this.enter();
      const part = this.readBraced(quoted);
      this.leave();
      return part;
    }
    if (n === '(') {
      this.enter();
      if (this.src[this.pos + 2] === '(') {
        this.pos += 3;
        const start = this.pos;
        const parts = this.readParts('arith', false);
        const raw = this.src.slice(start, this.pos);
        this.pos += 2;
        this.leave();
        return { type: 'arith', expr: { parts, raw }, quoted };
      }
      this.pos += 2;
      const body = this.sub.commandSub(this);
      this.leave();
      return { type: 'cmdsub', body, quoted };
    }
    if (n !== undefined && SPECIAL_PARAMS.has(n)) {
      this.pos += 2;
      return { type: 'param', name: n, op: null, arg: null, quoted };
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos + 1, this.pos + 257));
    if (name) {
      this.pos += 1 + name[0].length;
      return { type: 'param', name: name[0], op: null, arg: null, quoted };
    }
    this.pos += 1;
    return null;
  }

  private readBraced(quoted: boolean): WordPart {
    const rest = this.src.slice(this.pos, this.pos + 258);
    const length = /^#([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#!@*-])\}/.exec(rest);
    if (length) {
      this.pos += length[0].length;
      return { type: 'length', name: length[1]!, quoted };
    }
    const nameMatch = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#!@*-])/.exec(rest);
    if (!nameMatch) {
      if (this.pos >= this.src.length) throw this.error("missing '}'", true);
      throw this.error('bad substitution');
    }
    const name = nameMatch[1]!;
    this.pos += name.length;
    if (this.src[this.pos] === '}') {
      this.pos += 1;
      return { type: 'param', name, op: null, arg: null, quoted };
    }
    if (this.src[this.pos] === '/') return this.readReplace(name, quoted);
    if (this.src[this.pos] === ':' && !'-=?+'.includes(this.src[this.pos + 1] ?? '-')) return this.readSubstr(name, quoted);
    const op = PARAM_OPS.find((candidate) => this.src.startsWith(candidate, this.pos));
    if (op === undefined) {
      if (this.pos >= this.src.length) throw this.error("missing '}'", true);
      throw this.error('bad substitution');
    }
    this.pos += op.length;
    const start = this.pos;
    const parts = this.readParts('brace', quoted, '}', op.startsWith('#') || op.startsWith('%'));
    const arg: Word = { parts, raw: this.src.slice(start, this.pos) };
    this.pos += 1;
    return { type: 'param', name, op, arg, quoted };
  }

  /** After the name in `${x/p/r}` / `${x//p/r}`: the pattern ends at an unquoted `/` or `}`. */
  private readReplace(name: string, quoted: boolean): WordPart {
    const all = this.src[this.pos + 1] === '/';
    this.pos += all ? 2 : 1;
    const pattern = this.readBraceWord(quoted, '/}', true);
    let replacement: Word | null = null;
    if (this.src[this.pos] === '/') {
      this.pos += 1;
      replacement = this.readBraceWord(quoted, '}');
    }
    this.pos += 1;
    return { type: 'replace', name, all, pattern, replacement, quoted };
  }

  /** After the name in `${x:off}` / `${x:off:len}`. */
  private readSubstr(name: string, quoted: boolean): WordPart {
    this.pos += 1;
    const offset = this.readBraceWord(quoted, ':}');
    let length: Word | null = null;
    if (this.src[this.pos] === ':') {
      this.pos += 1;
      length = this.readBraceWord(quoted, '}');
    }
    this.pos += 1;
    return { type: 'substr', name, offset, length, quoted };
  }

  private readBraceWord(quoted: boolean, stops: string, pattern = false): Word {
    const start = this.pos;
    const parts = this.readParts('brace', quoted, stops, pattern);
    return { parts, raw: this.src.slice(start, this.pos) };
  }

  /** Replaces src[start, pos) by `text` and rewinds to `start` (alias expansion). */
  splice(start: number, text: string): void {
    const src = this.src.slice(0, start) + text + this.src.slice(this.pos);
    if (src.length > this.limits.maxLength) throw this.error('input too long');
    this.src = src;
    this.pos = start;
  }

  private readBackquote(quoted: boolean): WordPart {
    this.enter();
    let text = '';
    let i = this.pos + 1;
    for (;;) {
      const c = this.src[i];
      if (c === undefined) throw this.error('EOF in backquote substitution', true);
      if (c === '`') break;
      if (c === '\\') {
        const n = this.src[i + 1];
        if (n !== undefined && ('$`\\'.includes(n) || (quoted && n === '"'))) {
          text += n;
          i += 2;
          continue;
        }
      }
      text += c;
      i += 1;
    }
    this.line += countNewlines(text);
    this.pos = i + 1;
    const body = this.sub.source(text, this.depth, this.limits);
    this.leave();
    return { type: 'cmdsub', body, quoted };
  }

  private readHeredocBodies(): void {
    for (const doc of this.heredocs.splice(0)) {
      const lines: string[] = [];
      let ended = false;
      while (this.pos < this.src.length) {
        let end = this.src.indexOf('\n', this.pos);
        if (end < 0) end = this.src.length;
        let text = this.src.slice(this.pos, end);
        this.pos = Math.min(end + 1, this.src.length);
        this.line += 1;
        if (doc.stripTabs) text = text.replace(/^\t+/, '');
        if (text === doc.delimiter) {
          ended = true;
          break;
        }
        lines.push(text + (end < this.src.length ? '\n' : ''));
      }
      if (!ended && this.interactive) throw this.error(`here document "${doc.delimiter}" not ended`, true);
      const body = lines.join('');
      if (doc.quoted) {
        doc.resolve({ parts: [{ type: 'lit', text: body, quoted: true }], raw: body });
      } else {
        const inner = new Lexer(body, this.sub, this.limits, this.depth + 1);
        doc.resolve({ parts: inner.readParts('heredoc', true), raw: body });
      }
    }
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (const c of text) if (c === '\n') n += 1;
  return n;
}
