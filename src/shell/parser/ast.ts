// The syntax tree the ash parser produces and the interpreter walks. Pure data: no behaviour here.
// Words keep their parts (literal, quoted, expansions) so expansion can honour quoting later.

/** One piece of a word. `quoted` means it came from inside quotes or a backslash escape. */
export type WordPart =
  | { readonly type: 'lit'; readonly text: string; readonly quoted: boolean }
  | { readonly type: 'param'; readonly name: string; readonly op: ParamOp | null; readonly arg: Word | null; readonly quoted: boolean }
  | { readonly type: 'length'; readonly name: string; readonly quoted: boolean }
  /** `${x/p/r}` (first match) and `${x//p/r}` (every match). */
  | { readonly type: 'replace'; readonly name: string; readonly all: boolean; readonly pattern: Word; readonly replacement: Word | null; readonly quoted: boolean }
  /** `${x:offset}` and `${x:offset:length}`: both are arithmetic, negative counts from the end. */
  | { readonly type: 'substr'; readonly name: string; readonly offset: Word; readonly length: Word | null; readonly quoted: boolean }
  | { readonly type: 'cmdsub'; readonly body: List; readonly quoted: boolean }
  | { readonly type: 'arith'; readonly expr: Word; readonly quoted: boolean };

/** `${x-w}` `${x:-w}` `${x=w}` `${x?w}` `${x+w}` (colon variants) and `${x#p}` `${x##p}` `${x%p}` `${x%%p}`. */
export type ParamOp = '-' | ':-' | '=' | ':=' | '?' | ':?' | '+' | ':+' | '#' | '##' | '%' | '%%';

export interface Word {
  readonly parts: readonly WordPart[];
  /** The source text of the word, for keyword checks, events and `type`. */
  readonly raw: string;
}

export type RedirOp = '>' | '>>' | '<' | '>&' | '<&' | '<>' | '>|' | '<<' | '<<-';

export interface Redirect {
  readonly fd: number;
  readonly op: RedirOp;
  /** File name, fd number (for dups), or heredoc delimiter. */
  readonly target: Word;
  /** Heredoc body: already parsed into parts (a single literal when the delimiter was quoted). */
  readonly heredoc: Word | null;
}

export interface Assignment {
  readonly name: string;
  readonly value: Word;
}

export interface SimpleCommand {
  readonly type: 'simple';
  readonly assigns: readonly Assignment[];
  readonly words: readonly Word[];
  readonly redirs: readonly Redirect[];
  /** 0-based line of the command in its source, for ash's `line N:` messages. */
  readonly line: number;
}

export interface IfClause {
  readonly cond: List;
  readonly body: List;
}

export type CompoundCommand =
  | { readonly type: 'if'; readonly clauses: readonly IfClause[]; readonly elseBody: List | null; readonly redirs: readonly Redirect[]; readonly line: number }
  | { readonly type: 'for'; readonly name: string; readonly items: readonly Word[] | null; readonly body: List; readonly redirs: readonly Redirect[]; readonly line: number }
  | { readonly type: 'while'; readonly until: boolean; readonly cond: List; readonly body: List; readonly redirs: readonly Redirect[]; readonly line: number }
  | { readonly type: 'case'; readonly subject: Word; readonly items: readonly CaseItem[]; readonly redirs: readonly Redirect[]; readonly line: number }
  | { readonly type: 'group'; readonly body: List; readonly redirs: readonly Redirect[]; readonly line: number }
  | { readonly type: 'subshell'; readonly body: List; readonly redirs: readonly Redirect[]; readonly line: number };

export interface CaseItem {
  readonly patterns: readonly Word[];
  readonly body: List;
}

export interface FunctionDef {
  readonly type: 'funcdef';
  readonly name: string;
  readonly body: Command;
  readonly line: number;
}

export type Command = SimpleCommand | CompoundCommand | FunctionDef;

export interface Pipeline {
  readonly negate: boolean;
  readonly commands: readonly Command[];
}

export interface AndOr {
  readonly first: Pipeline;
  readonly rest: readonly { readonly op: '&&' | '||'; readonly pipeline: Pipeline }[];
}

export interface ListItem {
  readonly andOr: AndOr;
  /** Ended by `&`: hachi runs it to completion but records that it was backgrounded. */
  readonly background: boolean;
}

export type List = readonly ListItem[];
