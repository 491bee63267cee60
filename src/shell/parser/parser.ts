// Recursive-descent parser for the ash grammar bots use; pure (string in, AST out). Error texts
// follow ash's `unexpected X (expecting Y)` so a syntax error looks exactly like the real device's.
import type { AndOr, Assignment, CaseItem, Command, CompoundCommand, IfClause, List, ListItem, Pipeline, Redirect, SimpleCommand, Word } from './ast.ts';
import { Lexer, isName, type SubParsers, type Token } from './lexer.ts';
import { ShellSyntaxError, defaultParseLimits, type ParseLimits } from './syntax-error.ts';

const LIST_END_WORDS = new Set(['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '}']);
const LIST_END_OPS = new Set([')', ';;']);
const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'in', 'while', 'until', 'do', 'done', 'case', 'esac', '{', '}', '!']);

/** How typed lines differ from scripts: aliases expand, and an open heredoc asks for more input. */
export interface InteractiveOptions {
  readonly aliases: ReadonlyMap<string, string>;
}

/** Alias expansions at one command position before ash-like recursion is cut off. */
const MAX_ALIAS_EXPANSIONS = 16;

/** Parses a whole script or command line into a list. Throws ShellSyntaxError. */
export function parse(source: string, limits: ParseLimits = defaultParseLimits, interactive: InteractiveOptions | null = null): List {
  const lexer = new Lexer(source, subParsers, limits);
  lexer.interactive = interactive !== null;
  return new Parser(lexer, interactive?.aliases ?? null).program();
}

/**
 * Parses one top-level line at a time, as a non-interactive ash does: commands before a syntax
 * error on a later line still run. `next()` returns null at the end of the source.
 */
export function parseIncrementally(source: string, limits: ParseLimits = defaultParseLimits): { next(): List | null } {
  const parser = new Parser(new Lexer(source, subParsers, limits));
  return { next: () => parser.topLine() };
}

const subParsers: SubParsers = {
  commandSub(lexer: Lexer): List {
    const parser = new Parser(lexer);
    parser.skipNewlines();
    if (parser.isOp(parser.peek(), ')')) {
      parser.take();
      return [];
    }
    const body = parser.compoundList(false);
    parser.expectOp(')');
    return body;
  },
  source(text: string, depth: number, limits: ParseLimits): List {
    const lexer = new Lexer(text, subParsers, limits, depth);
    return new Parser(lexer).program();
  },
};

function keywordOf(token: Token): string | null {
  if (token.kind !== 'word') return null;
  const parts = token.word.parts;
  if (parts.length !== 1) return null;
  const part = parts[0]!;
  if (part.type !== 'lit' || part.quoted || !KEYWORDS.has(part.text)) return null;
  return part.text;
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'end of file';
    case 'redir':
      return 'redirection';
    case 'word': {
      const keyword = keywordOf(token);
      return keyword === null ? 'word' : `"${keyword}"`;
    }
    case 'op':
      return token.op === '\n' ? 'newline' : `"${token.op}"`;
  }
}

class Parser {
  private readonly lexer: Lexer;
  private readonly aliases: ReadonlyMap<string, string> | null;
  private peeked: Token | null = null;

  constructor(lexer: Lexer, aliases: ReadonlyMap<string, string> | null = null) {
    this.lexer = lexer;
    this.aliases = aliases;
  }

  /** Replaces an alias at command position by its text (each alias once, as ash avoids loops). */
  private expandAliases(): void {
    if (this.aliases === null || this.aliases.size === 0) return;
    const seen = new Set<string>();
    for (let i = 0; i < MAX_ALIAS_EXPANSIONS; i++) {
      const token = this.peek();
      if (token.kind !== 'word' || token.word.parts.length !== 1) return;
      const part = token.word.parts[0]!;
      if (part.type !== 'lit' || part.quoted || part.text !== token.word.raw || seen.has(part.text)) return;
      const value = this.aliases.get(part.text);
      if (value === undefined) return;
      seen.add(part.text);
      this.lexer.splice(this.lexer.pos - token.word.raw.length, value);
      this.peeked = null;
    }
  }

  peek(): Token {
    this.peeked ??= this.lexer.next();
    return this.peeked;
  }

  take(): Token {
    const token = this.peek();
    this.peeked = null;
    return token;
  }

  isOp(token: Token, op: string): boolean {
    return token.kind === 'op' && token.op === op;
  }

  skipNewlines(): void {
    while (this.isOp(this.peek(), '\n')) this.take();
  }

  unexpected(token: Token, expecting?: string): ShellSyntaxError {
    const suffix = expecting === undefined ? '' : ` (expecting ${expecting})`;
    return new ShellSyntaxError(`unexpected ${describe(token)}${suffix}`, token.kind === 'eof', token.line);
  }

  expectOp(op: string): void {
    const token = this.take();
    if (!this.isOp(token, op)) throw this.unexpected(token, `"${op}"`);
  }

  expectWord(keyword: string): void {
    const token = this.take();
    if (keywordOf(token) !== keyword) throw this.unexpected(token, `"${keyword}"`);
  }

  program(): List {
    const items: ListItem[] = [];
    for (;;) {
      items.push(...this.compoundList(true));
      const token = this.peek();
      if (token.kind === 'eof') return items;
      throw this.unexpected(token);
    }
  }

  topLine(): List | null {
    this.skipNewlines();
    if (this.peek().kind === 'eof') return null;
    const items: ListItem[] = [];
    for (;;) {
      const andOr = this.andOr();
      const after = this.take();
      const background = this.isOp(after, '&');
      items.push({ andOr, background });
      if (after.kind === 'eof' || this.isOp(after, '\n')) return items;
      if (!background && !this.isOp(after, ';')) throw this.unexpected(after);
      const next = this.peek();
      if (next.kind === 'eof') return items;
      if (this.isOp(next, '\n')) {
        this.take();
        return items;
      }
    }
  }

  private isListEnd(token: Token): boolean {
    if (token.kind === 'eof') return true;
    if (token.kind === 'op') return LIST_END_OPS.has(token.op);
    const keyword = keywordOf(token);
    return keyword !== null && LIST_END_WORDS.has(keyword);
  }

  compoundList(top: boolean): ListItem[] {
    const items: ListItem[] = [];
    for (;;) {
      this.skipNewlines();
      const token = this.peek();
      if (token.kind === 'eof') return items;
      if (items.length > 0 && this.isListEnd(token)) return items;
      const andOr = this.andOr();
      const after = this.peek();
      let background = false;
      if (this.isOp(after, '&')) {
        this.take();
        background = true;
      } else if (this.isOp(after, ';')) {
        this.take();
      } else if (!this.isOp(after, '\n') && after.kind !== 'eof') {
        if (top) throw this.unexpected(after);
        items.push({ andOr, background });
        return items;
      }
      items.push({ andOr, background });
    }
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: { op: '&&' | '||'; pipeline: Pipeline }[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'op' || (token.op !== '&&' && token.op !== '||')) return { first, rest };
      this.take();
      this.skipNewlines();
      rest.push({ op: token.op, pipeline: this.pipeline() });
    }
  }

  private pipeline(): Pipeline {
    let negate = false;
    while (keywordOf(this.peek()) === '!') {
      this.take();
      negate = !negate;
    }
    const commands: Command[] = [this.command()];
    while (this.isOp(this.peek(), '|')) {
      this.take();
      this.skipNewlines();
      commands.push(this.command());
    }
    return { negate, commands };
  }

  private command(): Command {
    this.expandAliases();
    const token = this.peek();
    const keyword = keywordOf(token);
    if (keyword !== null && keyword !== '!' && !LIST_END_WORDS.has(keyword) && keyword !== 'in') {
      this.lexer.enter();
      const compound = this.compound(keyword, token.line);
      this.lexer.leave();
      return compound;
    }
    if (this.isOp(token, '(')) {
      this.take();
      this.lexer.enter();
      const body = this.compoundList(false);
      this.expectOp(')');
      this.lexer.leave();
      return { type: 'subshell', body, redirs: this.trailingRedirects(), line: token.line };
    }
    if ((token.kind === 'word' && keyword === null) || token.kind === 'redir') return this.simple();
    throw this.unexpected(token);
  }

  private compound(keyword: string, line: number): CompoundCommand {
    this.take();
    switch (keyword) {
      case 'if': {
        const clauses: IfClause[] = [];
        let elseBody: List | null = null;
        let cond = this.compoundList(false);
        this.expectWord('then');
        clauses.push({ cond, body: this.compoundList(false) });
        for (;;) {
          const next = keywordOf(this.peek());
          if (next === 'elif') {
            this.take();
            cond = this.compoundList(false);
            this.expectWord('then');
            clauses.push({ cond, body: this.compoundList(false) });
          } else if (next === 'else') {
            this.take();
            elseBody = this.compoundList(false);
            break;
          } else break;
        }
        this.expectWord('fi');
        return { type: 'if', clauses, elseBody, redirs: this.trailingRedirects(), line };
      }
      case 'while':
      case 'until': {
        const cond = this.compoundList(false);
        this.expectWord('do');
        const body = this.compoundList(false);
        this.expectWord('done');
        return { type: 'while', until: keyword === 'until', cond, body, redirs: this.trailingRedirects(), line };
      }
      case 'for':
        return this.forLoop(line);
      case 'case':
        return this.caseCommand(line);
      default: {
        const body = this.compoundList(false);
        this.expectWord('}');
        return { type: 'group', body, redirs: this.trailingRedirects(), line };
      }
    }
  }

  private forLoop(line: number): CompoundCommand {
    const nameToken = this.take();
    if (nameToken.kind !== 'word' || !isName(nameToken.word.raw)) throw new ShellSyntaxError('bad for loop variable', nameToken.kind === 'eof', nameToken.line);
    let items: Word[] | null = null;
    this.skipNewlines();
    if (keywordOf(this.peek()) === 'in') {
      this.take();
      items = [];
      for (;;) {
        const token = this.peek();
        if (token.kind !== 'word') break;
        items.push(token.word);
        this.take();
      }
      const sep = this.take();
      if (!this.isOp(sep, ';') && !this.isOp(sep, '\n')) throw this.unexpected(sep);
    } else if (this.isOp(this.peek(), ';')) {
      this.take();
    }
    this.skipNewlines();
    this.expectWord('do');
    const body = this.compoundList(false);
    this.expectWord('done');
    return { type: 'for', name: nameToken.word.raw, items, body, redirs: this.trailingRedirects(), line };
  }

  private caseCommand(line: number): CompoundCommand {
    const subjectToken = this.take();
    if (subjectToken.kind !== 'word') throw this.unexpected(subjectToken);
    this.skipNewlines();
    this.expectWord('in');
    const items: CaseItem[] = [];
    for (;;) {
      this.skipNewlines();
      if (keywordOf(this.peek()) === 'esac') break;
      if (this.isOp(this.peek(), '(')) this.take();
      const patterns: Word[] = [];
      for (;;) {
        const pattern = this.take();
        if (pattern.kind !== 'word') throw this.unexpected(pattern);
        patterns.push(pattern.word);
        if (!this.isOp(this.peek(), '|')) break;
        this.take();
      }
      this.expectOp(')');
      this.skipNewlines();
      const next = this.peek();
      const body = this.isOp(next, ';;') || keywordOf(next) === 'esac' ? [] : this.compoundList(false);
      items.push({ patterns, body });
      if (this.isOp(this.peek(), ';;')) this.take();
      else {
        this.skipNewlines();
        if (keywordOf(this.peek()) !== 'esac') throw this.unexpected(this.peek(), '"esac"');
      }
    }
    this.take();
    return { type: 'case', subject: subjectToken.word, items, redirs: this.trailingRedirects(), line };
  }

  private trailingRedirects(): Redirect[] {
    const redirs: Redirect[] = [];
    while (this.peek().kind === 'redir') redirs.push(this.redirect());
    return redirs;
  }

  private redirect(): Redirect {
    const token = this.take();
    if (token.kind !== 'redir') throw this.unexpected(token);
    const target = this.take();
    if (target.kind !== 'word') throw this.unexpected(target);
    const fd = token.fd ?? (token.op.startsWith('<') && token.op !== '<>' ? 0 : token.op === '<>' ? 0 : 1);
    if (token.op === '<<' || token.op === '<<-') {
      const redirect: { fd: number; op: typeof token.op; target: Word; heredoc: Word | null } = { fd, op: token.op, target: target.word, heredoc: null };
      this.lexer.addHeredoc(target.word, token.op === '<<-', (body) => {
        redirect.heredoc = body;
      });
      return redirect;
    }
    return { fd, op: token.op, target: target.word, heredoc: null };
  }

  private simple(): Command {
    const first = this.peek();
    const assigns: Assignment[] = [];
    const words: Word[] = [];
    const redirs: Redirect[] = [];
    for (;;) {
      const token = this.peek();
      if (token.kind === 'redir') {
        redirs.push(this.redirect());
        continue;
      }
      if (token.kind === 'op' && token.op === '(' && words.length === 1 && assigns.length === 0 && redirs.length === 0) {
        return this.functionDef(words[0]!, first.line);
      }
      if (token.kind !== 'word') break;
      this.take();
      const assignment = words.length === 0 ? asAssignment(token.word) : null;
      if (assignment) assigns.push(assignment);
      else words.push(token.word);
    }
    const command: SimpleCommand = { type: 'simple', assigns, words, redirs, line: first.line };
    return command;
  }

  private functionDef(nameWord: Word, line: number): Command {
    this.take();
    this.expectOp(')');
    if (!isName(nameWord.raw)) throw new ShellSyntaxError('bad function name', false, line);
    this.skipNewlines();
    const body = this.command();
    if (body.type === 'funcdef') throw new ShellSyntaxError('bad function name', false, line);
    return { type: 'funcdef', name: nameWord.raw, body, line };
  }
}

function asAssignment(word: Word): Assignment | null {
  const first = word.parts[0];
  if (first?.type !== 'lit' || first.quoted) return null;
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.text);
  if (!match) return null;
  const restText = first.text.slice(match[0].length);
  const parts = restText === '' ? word.parts.slice(1) : [{ ...first, text: restText }, ...word.parts.slice(1)];
  return { name: match[1]!, value: { parts, raw: word.raw.slice(match[0].length) } };
}
