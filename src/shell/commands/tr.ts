// tr [-cds] STRING1 [STRING2]: translates, deletes or squeezes bytes from stdin.
import type { Command } from '../command.ts';
import { parseOptions } from './getopt.ts';
import { argToByteText, bytesToText, textToBytes } from './input.ts';
import { optionError, showHelp, showUsage, wantsHelp } from './usage.ts';

const usage = `tr [-cds] STRING1 [STRING2]

Translate, squeeze, or delete characters from stdin, writing to stdout

\t-c\tTake complement of STRING1
\t-d\tDelete input characters coded STRING1
\t-s\tSqueeze multiple output characters of STRING2 into one character`;

const classRanges: Readonly<Record<string, string>> = {
  lower: 'a-z', upper: 'A-Z', digit: '0-9', alpha: 'A-Za-z', alnum: '0-9A-Za-z', space: '\t\n\v\f\r ', blank: '\t ', xdigit: '0-9A-Fa-f', punct: '!-/:-@[-`{-~',
};
const escapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', b: '\b', f: '\f', v: '\v' };

/** Expands ranges, classes and escapes of a tr set into the list of its characters (bytes). */
export function expandSet(spec: string): string[] {
  const withClasses = spec.replace(/\[:([a-z]+):\]/g, (whole, name: string) => classRanges[name] ?? whole);
  const chars: string[] = [];
  for (let i = 0; i < withClasses.length; i++) {
    let ch = withClasses[i] ?? '';
    if (ch === '\\' && i + 1 < withClasses.length) {
      const octal = /^[0-7]{1,3}/.exec(withClasses.slice(i + 1));
      if (octal) {
        ch = String.fromCharCode(Number.parseInt(octal[0], 8) & 0xff);
        i += octal[0].length;
      } else {
        const next = withClasses[++i] ?? '';
        ch = escapes[next] ?? next;
      }
    }
    if (withClasses[i + 1] === '-' && i + 2 < withClasses.length) {
      const end = withClasses.charCodeAt(i + 2);
      for (let code = ch.charCodeAt(0); code <= end && chars.length < 4096; code++) chars.push(String.fromCharCode(code));
      i += 2;
      continue;
    }
    chars.push(ch);
  }
  return chars;
}

export const tr: Command = (ctx) => {
  if (wantsHelp(ctx)) return showHelp(ctx, usage);
  const parsed = parseOptions(ctx.argv.slice(1), 'cdsC');
  if (!parsed.ok) return optionError(ctx, 'tr', parsed.message, usage);
  const { flags, operands } = parsed.options;
  const [first, second] = operands.map(argToByteText);
  if (first === undefined || (second === undefined && !flags.has('d') && !flags.has('s'))) return showUsage(ctx, usage);
  let set1 = expandSet(first);
  if (flags.has('c') || flags.has('C')) {
    const member = new Set(set1);
    set1 = [];
    for (let code = 0; code < 256; code++) if (!member.has(String.fromCharCode(code))) set1.push(String.fromCharCode(code));
  }
  const set2 = second === undefined ? [] : expandSet(second);
  const map = new Map<string, string>();
  if (!flags.has('d')) set1.forEach((ch, i) => map.set(ch, set2[Math.min(i, set2.length - 1)] ?? ch));
  const remove = flags.has('d') ? new Set(set1) : new Set<string>();
  const squeeze = new Set(flags.has('d') || second !== undefined ? set2 : set1);
  let out = '';
  let last = '';
  for (const ch of bytesToText(ctx.stdin)) {
    if (remove.has(ch)) continue;
    const mapped = map.get(ch) ?? ch;
    if (flags.has('s') && mapped === last && squeeze.has(mapped)) continue;
    out += mapped;
    last = mapped;
  }
  ctx.stdout.write(textToBytes(out));
  return 0;
};
