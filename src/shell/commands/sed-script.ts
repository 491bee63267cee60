// Parser of the sed subset bots and scripts use: [addr[,addr]][!] s/re/repl/[gpiN] | p | d | q | =.

import { compileRegex } from './posix-regex.ts';

export type Address = { readonly kind: 'line'; readonly line: number } | { readonly kind: 'last' } | { readonly kind: 'regex'; readonly regex: RegExp | null };

export interface SedCommand {
  readonly from: Address | null;
  readonly to: Address | null;
  readonly negate: boolean;
  readonly name: 's' | 'p' | 'd' | 'q' | '=';
  /** For s: the regex (null when refused as unsafe: never matches), JS replacement, flags. */
  readonly regex?: RegExp | null;
  readonly replacement?: string;
  readonly global?: boolean;
  readonly print?: boolean;
  readonly occurrence?: number;
}

export type ParseOutcome = { readonly ok: true; readonly commands: SedCommand[] } | { readonly ok: false; readonly message: string };

/** Reads up to the next unescaped `delim`; `\delim` becomes `delim`. Returns null when unterminated. */
function readDelimited(script: string, start: number, delim: string): { text: string; next: number } | null {
  let text = '';
  for (let i = start; i < script.length; i++) {
    const ch = script[i] ?? '';
    if (ch === '\\' && i + 1 < script.length) {
      const next = script[i + 1] ?? '';
      text += next === delim ? delim : next === 'n' ? '\n' : `\\${next}`;
      i++;
    } else if (ch === delim) return { text, next: i + 1 };
    else text += ch;
  }
  return null;
}

/** sed replacement (`&`, `\1`, `\&`) → String.prototype.replace syntax. */
function toJsReplacement(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '\\') {
      const next = text[++i] ?? '';
      out += /[0-9]/.test(next) ? `$${next}` : next === '$' ? '$$' : next;
    } else if (ch === '&') out += '$&';
    else if (ch === '$') out += '$$';
    else out += ch;
  }
  return out;
}

export function parseSedScript(script: string, extended: boolean): ParseOutcome {
  const commands: SedCommand[] = [];
  let i = 0;
  const regexOf = (pattern: string, ignoreCase: boolean, global: boolean): RegExp | null | 'invalid' => {
    const compiled = compileRegex(pattern, { extended, ignoreCase, global });
    if (compiled.ok) return compiled.regex;
    return compiled.reason === 'unsafe' ? null : 'invalid';
  };
  const readAddress = (): Address | null | 'bad' => {
    const rest = script.slice(i);
    const line = /^\d+/.exec(rest);
    if (line) {
      i += line[0].length;
      return { kind: 'line', line: Number(line[0]) };
    }
    if (rest.startsWith('$')) {
      i++;
      return { kind: 'last' };
    }
    if (rest.startsWith('/')) {
      const body = readDelimited(script, i + 1, '/');
      if (body === null) return 'bad';
      i = body.next;
      const regex = regexOf(body.text, false, false);
      return regex === 'invalid' ? 'bad' : { kind: 'regex', regex };
    }
    return null;
  };
  while (i < script.length) {
    while (i < script.length && /[\s;]/.test(script[i] ?? '')) i++;
    if (i >= script.length) break;
    const from = readAddress();
    if (from === 'bad') return { ok: false, message: "unmatched '/'" };
    let to: Address | null = null;
    if (from !== null && script[i] === ',') {
      i++;
      const second = readAddress();
      if (second === 'bad' || second === null) return { ok: false, message: 'unexpected \',\'' };
      to = second;
    }
    while (script[i] === ' ') i++;
    const negate = script[i] === '!';
    if (negate) i++;
    const name = script[i++] ?? '';
    if (name === 's') {
      const delim = script[i] ?? '';
      const pattern = readDelimited(script, i + 1, delim);
      const replacement = pattern && readDelimited(script, pattern.next, delim);
      if (!pattern || !replacement || delim === '' || delim === '\n' || delim === '\\') return { ok: false, message: `unmatched '${delim === '' ? 's' : delim}'` };
      i = replacement.next;
      const flags = /^[gpiI0-9]*/.exec(script.slice(i))?.[0] ?? '';
      i += flags.length;
      const regex = regexOf(pattern.text, /[iI]/.test(flags), flags.includes('g'));
      if (regex === 'invalid') return { ok: false, message: `bad regex '${pattern.text}'` };
      const occurrence = Number(/\d+/.exec(flags)?.[0] ?? '1');
      commands.push({ from, to, negate, name, regex, replacement: toJsReplacement(replacement.text), global: flags.includes('g'), print: flags.includes('p'), occurrence });
    } else if (name === 'p' || name === 'd' || name === 'q' || name === '=') {
      commands.push({ from, to, negate, name });
    } else return { ok: false, message: `unsupported command ${name}` };
  }
  return { ok: true, commands };
}
