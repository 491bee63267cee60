// Pattern search inside a value for ${x#p} ${x%p} ${x/p/r}: a set-of-states simulation of the
// compiled pattern, so the work is length × pattern size with no backtracking, and it is budgeted.
import { compilePattern, matchesToken, type Token } from './pattern.ts';

/** Raised when a search would take more steps than its budget; the caller turns it into a limit. */
export class SearchTooCostly extends Error {}

/** Pattern steps one expansion may take (value length × pattern length, summed over scans). */
export const MAX_SEARCH_STEPS = 1 << 24;

interface Budget {
  steps: number;
}

/** States are token indices; a star state also stands for "skip the star". */
function closure(tokens: readonly Token[], states: Set<number>): Set<number> {
  for (const p of states) {
    if (tokens[p]?.kind === 'star') states.add(p + 1);
  }
  return states;
}

/** Lengths n such that text[start, start+n) matches, in increasing order (scanning forward). */
function matchLengths(tokens: readonly Token[], text: string, start: number, budget: Budget, stopAtFirst: boolean): number[] {
  const found: number[] = [];
  let states = closure(tokens, new Set([0]));
  for (let i = start; ; i++) {
    if (states.has(tokens.length)) {
      found.push(i - start);
      if (stopAtFirst) return found;
    }
    if (i >= text.length || states.size === 0) return found;
    budget.steps += states.size;
    if (budget.steps > MAX_SEARCH_STEPS) throw new SearchTooCostly('pattern search too costly');
    const next = new Set<number>();
    const ch = text[i]!;
    for (const p of states) {
      const token = tokens[p];
      if (token === undefined) continue;
      if (token.kind === 'star') next.add(p);
      else if (matchesToken(token, ch)) next.add(p + 1);
    }
    states = closure(tokens, next);
  }
}

function reverseTokens(tokens: readonly Token[]): Token[] {
  return [...tokens].reverse();
}

function reverse(text: string): string {
  return [...text].reverse().join('');
}

/** ${x#p} ${x##p} ${x%p} ${x%%p}: strips the shortest or longest matching prefix or suffix. */
export function trimPattern(value: string, pattern: string, op: '#' | '##' | '%' | '%%'): string {
  const budget = { steps: 0 };
  const tokens = compilePattern(pattern);
  const shortest = op === '#' || op === '%';
  if (op === '#' || op === '##') {
    const lengths = matchLengths(tokens, value, 0, budget, shortest);
    const len = shortest ? lengths[0] : lengths.at(-1);
    return len === undefined ? value : value.slice(len);
  }
  // A suffix match is a prefix match of the reversed value against the reversed pattern.
  const lengths = matchLengths(reverseTokens(tokens), reverse(value), 0, budget, shortest);
  const len = shortest ? lengths[0] : lengths.at(-1);
  return len === undefined ? value : value.slice(0, value.length - len);
}

/** ${x/p/r} and ${x//p/r}: the leftmost longest match is replaced; empty matches are skipped. */
export function replacePattern(value: string, pattern: string, replacement: string, all: boolean, maxLength: number): string {
  if (pattern === '') return value;
  const budget = { steps: 0 };
  const tokens = compilePattern(pattern);
  let out = '';
  let i = 0;
  while (i < value.length) {
    const len = matchLengths(tokens, value, i, budget, false).at(-1);
    if (len === undefined || len === 0) {
      out += value[i];
      i += 1;
      continue;
    }
    out += replacement;
    if (out.length > maxLength) throw new SearchTooCostly('replacement too long');
    i += len;
    if (!all) return out + value.slice(i);
  }
  return out;
}
