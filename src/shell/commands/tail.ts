// tail [-n N|+N] [-c N] [-qv] [FILE]...: last lines or bytes. -f is accepted but never waits.
import type { Command } from '../command.ts';
import { concatBytes } from './file-ops.ts';
import { parseOptions } from './getopt.ts';
import { readInput } from './input.ts';
import { parseCount } from './line-count.ts';
import { offsetAfterLines } from './head.ts';
import { optionError, showHelp, wantsHelp } from './usage.ts';
import { errnoText } from '../vfs/vfs.ts';

const usage = `tail [OPTIONS] [FILE]...

Print last 10 lines of FILEs (or stdin) to stdout.
With more than one FILE, precede each with a filename header.

\t-f\t\tPrint data as file grows
\t-c [+]N[bkm]\tPrint last N bytes
\t-n N[bkm]\tPrint last N lines
\t-n +N[bkm]\tStart on Nth line and print the rest
\t\t\t(b:*512 k:*1024 m:*1024^2)
\t-q\t\tNever print headers
\t-s SECONDS\tWait SECONDS between reads with -f
\t-v\t\tAlways print headers
\t-F\t\tSame as -f, but keep retrying`;

function lastLinesOffset(data: Uint8Array, lines: number): number {
  if (lines === 0) return data.length;
  let seen = 0;
  const end = data.length > 0 && data[data.length - 1] === 10 ? data.length - 1 : data.length;
  for (let i = end - 1; i >= 0; i--) if (data[i] === 10 && ++seen >= lines) return i + 1;
  return 0;
}

export const tail: Command = (ctx) => {
  if (wantsHelp(ctx)) return showHelp(ctx, usage);
  const args = ctx.argv.slice(1).map((arg, i, all) => (/^[-+]\d+$/.test(arg) && !/^-[nc]$/.test(all[i - 1] ?? '') ? `-n${arg.startsWith('+') ? arg : arg.slice(1)}` : arg));
  const parsed = parseOptions(args, 'n:c:qvfFs:');
  if (!parsed.ok) return optionError(ctx, 'tail', parsed.message, usage);
  const { flags, values, operands } = parsed.options;
  const byBytes = values.has('c');
  const countText = values.get('c') ?? values.get('n') ?? '10';
  const count = parseCount(countText);
  if (count === null) {
    ctx.stderr.write(`tail: invalid number '${countText}'\n`);
    return 1;
  }
  const files = operands.length > 0 ? operands : ['-'];
  const headers = (files.length > 1 || flags.has('v')) && !flags.has('q');
  const out: Uint8Array[] = [];
  const enc = new TextEncoder();
  let opened = 0;
  let status = 0;
  for (const file of files) {
    const input = readInput(ctx, file);
    if (!input.ok) {
      ctx.stderr.write(`tail: can't open '${file}': ${errnoText[input.errno]}\n`);
      status = 1;
      continue;
    }
    if (headers) out.push(enc.encode(`${opened > 0 ? '\n' : ''}==> ${file === '-' ? 'standard input' : file} <==\n`));
    opened++;
    const { data } = input;
    let start: number;
    if (byBytes) start = count.fromStart ? Math.min(data.length, Math.max(0, count.value - 1)) : Math.max(0, data.length - count.value);
    else start = count.fromStart ? (count.value <= 1 ? 0 : offsetAfterLines(data, count.value - 1)) : lastLinesOffset(data, count.value);
    out.push(data.subarray(start));
  }
  ctx.stdout.write(concatBytes(out));
  if (opened === 0) {
    ctx.stderr.write('tail: no files\n');
    return 1;
  }
  return status;
};
