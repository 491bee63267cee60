// wc [-lcwm] [FILE]...: counts; one column prints bare numbers, several use BusyBox's %9u columns.
import type { Command } from '../command.ts';
import { parseOptions } from './getopt.ts';
import { readInput } from './input.ts';
import { optionError, showHelp, wantsHelp } from './usage.ts';
import { errnoText } from '../vfs/vfs.ts';

const usage = `wc [-cmlwL] [FILE]...

Count lines, words, and bytes for FILEs (or stdin)

\t-c\tCount bytes
\t-m\tCount characters
\t-l\tCount newlines
\t-w\tCount words
\t-L\tPrint longest line length`;

function counts(data: Uint8Array): { l: number; w: number; c: number; L: number } {
  let lines = 0;
  let words = 0;
  let inWord = false;
  let longest = 0;
  let current = 0;
  for (const byte of data) {
    const space = byte === 32 || (byte >= 9 && byte <= 13);
    if (byte === 10) {
      lines++;
      longest = Math.max(longest, current);
      current = 0;
    } else current++;
    if (space) inWord = false;
    else if (!inWord) {
      inWord = true;
      words++;
    }
  }
  return { l: lines, w: words, c: data.length, L: Math.max(longest, current) };
}

export const wc: Command = (ctx) => {
  if (wantsHelp(ctx)) return showHelp(ctx, usage);
  const parsed = parseOptions(ctx.argv.slice(1), 'cmlwL');
  if (!parsed.ok) return optionError(ctx, 'wc', parsed.message, usage);
  const { flags, operands } = parsed.options;
  const columns = (['l', 'w', 'c', 'L'] as const).filter((c) => flags.has(c) || (c === 'c' && flags.has('m')));
  const shown = columns.length > 0 ? columns : (['l', 'w', 'c'] as const);
  const files = operands.length > 0 ? operands : ['-'];
  const lines: string[] = [];
  const total = { l: 0, w: 0, c: 0, L: 0 };
  let status = 0;
  const row = (values: { l: number; w: number; c: number; L: number }, name: string): string => {
    const numbers = shown.map((c) => (shown.length === 1 ? String(values[c]) : String(values[c]).padStart(9)));
    return numbers.join(' ') + (name === '' ? '' : ` ${name}`);
  };
  for (const file of files) {
    const input = readInput(ctx, file);
    if (!input.ok) {
      ctx.stderr.write(`wc: ${file}: ${errnoText[input.errno]}\n`);
      status = 1;
      continue;
    }
    const c = counts(input.data);
    total.l += c.l;
    total.w += c.w;
    total.c += c.c;
    total.L = Math.max(total.L, c.L);
    lines.push(row(c, operands.length > 0 ? file : ''));
  }
  if (files.length > 1) lines.push(row(total, 'total'));
  if (lines.length > 0) ctx.stdout.write(`${lines.join('\n')}\n`);
  return status;
};
