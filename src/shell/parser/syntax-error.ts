// The error the parser throws. `message` is ash's text after "syntax error: "; `incomplete` marks
// errors caused by running out of input, where an interactive ash would ask for more (PS2).

export class ShellSyntaxError extends Error {
  readonly incomplete: boolean;
  /** 0-based line where the error was found. */
  readonly line: number;
  constructor(message: string, incomplete: boolean, line: number) {
    super(message);
    this.name = 'ShellSyntaxError';
    this.incomplete = incomplete;
    this.line = line;
  }
}

/** Limits that keep hostile input from exhausting the stack or memory while parsing. */
export interface ParseLimits {
  /** Nesting of compound commands, substitutions and parameter expansions. */
  readonly maxDepth: number;
  /** Longest source accepted, in characters. */
  readonly maxLength: number;
}

export const defaultParseLimits: ParseLimits = { maxDepth: 100, maxLength: 1 << 20 };
