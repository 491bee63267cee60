// Shell pattern matching (`*`, `?`, `[...]`) for case, ${x#p} and globbing. A linear-time matcher
// rather than a RegExp, so a hostile pattern like `*a*a*a*a*b` cannot backtrack for ever.

export type Token =
  | { readonly kind: 'lit'; readonly ch: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'star' }
  | { readonly kind: 'class'; readonly negate: boolean; readonly ranges: readonly (readonly [string, string])[] };

/** Pattern text where a backslash quotes the next char (quoted parts of a word are escaped so). */
export function compilePattern(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      tokens.push({ kind: 'lit', ch: pattern[i + 1]! });
      i += 1;
    } else if (c === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') tokens.push({ kind: 'any' });
    else if (c === '[') {
      const parsed = parseClass(pattern, i);
      if (parsed === null) tokens.push({ kind: 'lit', ch: '[' });
      else {
        tokens.push(parsed.token);
        i = parsed.end;
      }
    } else tokens.push({ kind: 'lit', ch: c });
  }
  return tokens;
}

function parseClass(pattern: string, start: number): { token: Token; end: number } | null {
  let i = start + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i += 1;
  }
  const ranges: [string, string][] = [];
  let first = true;
  while (i < pattern.length) {
    let c = pattern[i]!;
    if (c === ']' && !first) return { token: { kind: 'class', negate, ranges }, end: i };
    first = false;
    if (c === '\\' && i + 1 < pattern.length) {
      i += 1;
      c = pattern[i]!;
    }
    if (pattern[i + 1] === '-' && pattern[i + 2] !== undefined && pattern[i + 2] !== ']') {
      ranges.push([c, pattern[i + 2]!]);
      i += 3;
    } else {
      ranges.push([c, c]);
      i += 1;
    }
  }
  return null;
}

export function matchesToken(token: Token, ch: string): boolean {
  if (token.kind === 'any') return true;
  if (token.kind === 'lit') return token.ch === ch;
  if (token.kind === 'class') {
    const inside = token.ranges.some(([lo, hi]) => ch >= lo && ch <= hi);
    return inside !== token.negate;
  }
  return false;
}

/** Whole-string match; stars backtrack only to the last star, which is enough for globs. */
export function matchPattern(tokens: readonly Token[], text: string): boolean {
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const token = tokens[p];
    if (token !== undefined && token.kind !== 'star' && matchesToken(token, text[t]!)) {
      t += 1;
      p += 1;
    } else if (token?.kind === 'star') {
      starP = p;
      starT = t;
      p += 1;
    } else if (starP >= 0) {
      p = starP + 1;
      starT += 1;
      t = starT;
    } else return false;
  }
  while (tokens[p]?.kind === 'star') p += 1;
  return p === tokens.length;
}

export function hasGlobChars(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i += 1;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

/** Removes a backslash-quoted pattern's escapes, giving the literal text. */
export function unescapePattern(pattern: string): string {
  return pattern.replace(/\\(.)/gs, '$1');
}
