// POSIX basic/extended regular expressions translated to JS RegExp for grep and sed. Attacker
// patterns run on the shared event loop, so patterns that can backtrack exponentially or
// polynomially are refused (treated as matching nothing) and long lines are matched on a prefix.

export type RegexResult = { readonly ok: true; readonly regex: RegExp } | { readonly ok: false; readonly reason: 'unsafe' | 'invalid' };

/** Longest line prefix a regex is run on. */
export const maxRegexSubject = 4096;

const classes: Readonly<Record<string, string>> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f', print: ' -~', graph: '!-~', cntrl: '\\x00-\\x1f\\x7f',
};

/** Copies a bracket expression starting at `start` ('['); returns the JS text and the next index. */
function bracket(pattern: string, start: number): { text: string; next: number } | null {
  let i = start + 1;
  let text = '[';
  if (pattern[i] === '^') {
    text += '^';
    i++;
  }
  if (pattern[i] === ']') {
    text += '\\]';
    i++;
  }
  while (i < pattern.length && pattern[i] !== ']') {
    const cls = /^\[:([a-z]+):\]/.exec(pattern.slice(i));
    if (cls) {
      const body = classes[cls[1] ?? ''];
      if (body === undefined) return null;
      text += body;
      i += cls[0].length;
      continue;
    }
    const ch = pattern[i] ?? '';
    text += ch === '\\' || ch === '[' ? `\\${ch}` : ch;
    i++;
  }
  if (i >= pattern.length) return null;
  return { text: `${text}]`, next: i + 1 };
}

function translate(pattern: string, extended: boolean): string | null {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '[') {
      const b = bracket(pattern, i);
      if (b === null) return null;
      out += b.text;
      i = b.next - 1;
    } else if (ch === '\\') {
      const next = pattern[++i] ?? '\\';
      if (!extended && '(){}|+?'.includes(next)) out += next;
      else if (/[1-9]/.test(next)) out += `\\${next}`;
      else if (next === '<' || next === '>') out += '\\b';
      else if ('wWsSbB'.includes(next)) out += `\\${next}`;
      else out += /[a-zA-Z0-9]/.test(next) ? next : `\\${next}`;
    } else if (!extended && '(){}|+?'.includes(ch)) out += `\\${ch}`;
    else if (ch === '*' && (out === '' || out === '^' || out.endsWith('(') || out.endsWith('|'))) out += '\\*';
    else if (ch === '/') out += '\\/';
    else out += ch;
  }
  return out;
}

/** Quantified groups, backreferences or many unbounded quantifiers can take super-linear time. */
function isUnsafe(js: string): boolean {
  if (/\\[1-9]/.test(js)) return true;
  if (/\)(?:[*+?]|\{\d*,?\d*\})/.test(js)) return true;
  const unbounded = js.replace(/\\./g, '').match(/[*+]|\{\d+,\}/g) ?? [];
  return unbounded.length > 2;
}

export function compileRegex(pattern: string, options: { extended: boolean; ignoreCase: boolean; global?: boolean }): RegexResult {
  const js = translate(pattern, options.extended);
  if (js === null) return { ok: false, reason: 'invalid' };
  if (isUnsafe(js)) return { ok: false, reason: 'unsafe' };
  try {
    return { ok: true, regex: new RegExp(js, `${options.ignoreCase ? 'i' : ''}${options.global ? 'g' : ''}`) };
  } catch {
    return { ok: false, reason: 'invalid' };
  }
}

export function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
