// The regex subset family rules may use: what both JavaScript and YARA read the same way and what
// cannot backtrack badly. No groups with quantifiers, no lookaround or backreferences, few unbounded repeats.

const MAX_UNBOUNDED = 2;
const MAX_REPEAT = 256;

/** Why `source` is not allowed, or null when it is. */
export function regexProblem(source: string): string | null {
  if (/\(\?/.test(source)) return 'lookaround, named and non-capturing groups are not allowed';
  if (/\\[1-9kpPuc]/.test(source)) return 'backreferences and \\k, \\p, \\u, \\c escapes are not allowed';
  if (/\)[*+?{]/.test(source)) return 'a quantifier after a group is not allowed (it can backtrack badly)';
  if (/[*+}]\?/.test(source)) return 'lazy quantifiers are not allowed';
  if (source.startsWith('^') || source.endsWith('$')) return 'anchors "^" and "$" are not allowed (strings are matched, not lines)';
  const unbounded = (source.replace(/\\./g, '').match(/[*+]|\{\d+,\}/g) ?? []).length;
  if (unbounded > MAX_UNBOUNDED) return `at most ${MAX_UNBOUNDED} unbounded repeats ("*", "+", "{n,}")`;
  for (const m of source.matchAll(/\{(\d+)(?:,(\d*))?\}/g)) {
    if (Number(m[1]) > MAX_REPEAT || (m[2] !== undefined && m[2] !== '' && Number(m[2]) > MAX_REPEAT)) return `repeat counts above ${MAX_REPEAT}`;
  }
  // YARA needs a literal atom to scan fast; so do we, to keep the regex selective.
  const literal = source.replace(/\\./g, '#').replace(/\[[^\]]*\]/g, '#');
  if (!/[A-Za-z0-9 %:_/=-]{3}/.test(literal)) return 'needs a literal run of at least 3 characters';
  try {
    new RegExp(source);
  } catch (error) {
    return `does not compile: ${error instanceof Error ? error.message : String(error)}`;
  }
  return null;
}
