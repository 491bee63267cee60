// cut -b|-c LIST | -f LIST [-d DELIM] [-s] [FILE]...: selects bytes or delimited fields.
import type { Command } from '../command.ts';
import { parseOptions } from './getopt.ts';
import { argToByteText, bytesToText, readInput, splitLines, textToBytes } from './input.ts';
import { optionError, showHelp, showUsage, wantsHelp } from './usage.ts';
import { errnoText } from '../vfs/vfs.ts';

const usage = `cut [OPTIONS] [FILE]...

Print selected fields from FILEs to stdout

\t-b LIST\tOutput only bytes from LIST
\t-c LIST\tOutput only characters from LIST
\t-d SEP\tField delimiter for input (default -f TAB, -F run of whitespace)
\t-O SEP\tField delimeter for output (default = -d for -f, one space for -F)
\t-D\tDon't sort/collate sections or match -fF lines without delimeter
\t-f LIST\tPrint only these fields (-d is single char)
\t-F LIST\tPrint only these fields (-d is regex)
\t-s\tOutput only lines containing delimiter
\t-n\tIgnored`;

/** "1,3-5,7-" → a predicate on 1-based positions; null when malformed. */
function parseList(list: string): ((n: number) => boolean) | null {
  const ranges: [number, number][] = [];
  for (const part of list.split(',')) {
    const match = /^(\d*)(-?)(\d*)$/.exec(part);
    if (!match || part === '' || part === '-') return null;
    const from = match[1] === '' ? 1 : Number(match[1]);
    const to = match[2] === '' ? from : match[3] === '' ? Infinity : Number(match[3]);
    if (from < 1) return null;
    ranges.push([from, to]);
  }
  return (n) => ranges.some(([from, to]) => n >= from && n <= to);
}

export const cut: Command = (ctx) => {
  if (wantsHelp(ctx)) return showHelp(ctx, usage);
  const parsed = parseOptions(ctx.argv.slice(1), 'b:c:d:f:sDnO:F:');
  if (!parsed.ok) return optionError(ctx, 'cut', parsed.message, usage);
  const { flags, values, operands } = parsed.options;
  const listText = values.get('f') ?? values.get('c') ?? values.get('b');
  if (listText === undefined) {
    ctx.stderr.write('cut: expected a list of bytes, characters, or fields\n');
    return 1;
  }
  const select = parseList(listText);
  if (select === null) return showUsage(ctx, usage);
  const byFields = values.has('f');
  const delimiter = argToByteText(values.get('d') ?? '\t');
  if (byFields && delimiter.length !== 1) {
    ctx.stderr.write('cut: the delimiter must be a single character\n');
    return 1;
  }
  const out: string[] = [];
  let status = 0;
  for (const file of operands.length > 0 ? operands : ['-']) {
    const input = readInput(ctx, file);
    if (!input.ok) {
      ctx.stderr.write(`cut: ${file}: ${errnoText[input.errno]}\n`);
      status = 1;
      continue;
    }
    for (const line of splitLines(bytesToText(input.data))) {
      if (!byFields) {
        out.push([...line].filter((_, i) => select(i + 1)).join(''));
        continue;
      }
      if (!line.includes(delimiter)) {
        if (!flags.has('s')) out.push(line);
        continue;
      }
      out.push(line.split(delimiter).filter((_, i) => select(i + 1)).join(values.get('O') ?? delimiter));
    }
  }
  if (out.length > 0) ctx.stdout.write(textToBytes(`${out.join('\n')}\n`));
  return status;
};
