// head [-n N] [-c N] [-qv] [FILE]...: first lines or bytes; `-n -N` keeps all but the last N.
import type { Command } from '../command.ts';
import { concatBytes } from './file-ops.ts';
import { parseOptions } from './getopt.ts';
import { readInput } from './input.ts';
import { parseCount } from './line-count.ts';
import { optionError, showHelp, wantsHelp } from './usage.ts';
import { errnoText } from '../vfs/vfs.ts';

const usage = `head [OPTIONS] [FILE]...

Print first 10 lines of FILEs (or stdin).
With more than one FILE, precede each with a filename header.

\t-n N[bkm]\tPrint first N lines
\t-n -N[bkm]\tPrint all except N last lines
\t-c [-]N[bkm]\tPrint first N bytes
\t\t\t(b:*512 k:*1024 m:*1024^2)
\t-q\t\tNever print headers
\t-v\t\tAlways print headers`;

/** Byte offset just after the `lines`-th newline (or the end). */
export function offsetAfterLines(data: Uint8Array, lines: number): number {
  let seen = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === 10 && ++seen >= lines) return i + 1;
  return data.length;
}

export const head: Command = (ctx) => {
  if (wantsHelp(ctx)) return showHelp(ctx, usage);
  // Old style `head -5` means `-n 5`.
  const args = ctx.argv.slice(1).map((arg, i, all) => (/^-\d+$/.test(arg) && !/^-[nc]$/.test(all[i - 1] ?? '') ? `-n${arg.slice(1)}` : arg));
  const parsed = parseOptions(args, 'n:c:qv');
  if (!parsed.ok) return optionError(ctx, 'head', parsed.message, usage);
  const { flags, values, operands } = parsed.options;
  const byBytes = values.has('c');
  const countText = values.get('c') ?? values.get('n') ?? '10';
  const count = parseCount(countText);
  if (count === null) {
    ctx.stderr.write(`head: invalid number '${countText}'\n`);
    return 1;
  }
  const files = operands.length > 0 ? operands : ['-'];
  const headers = (files.length > 1 || flags.has('v')) && !flags.has('q');
  const out: Uint8Array[] = [];
  const enc = new TextEncoder();
  let status = 0;
  files.forEach((file, index) => {
    const input = readInput(ctx, file);
    if (!input.ok) {
      ctx.stdout.write(concatBytes(out.splice(0)));
      ctx.stderr.write(`head: ${file}: ${errnoText[input.errno]}\n`);
      status = 1;
      return;
    }
    if (headers) out.push(enc.encode(`${index > 0 ? '\n' : ''}==> ${file === '-' ? 'standard input' : file} <==\n`));
    const { data } = input;
    let end: number;
    if (byBytes) end = count.allBut ? Math.max(0, data.length - count.value) : Math.min(data.length, count.value);
    else if (count.allBut) {
      const total = data.filter((b) => b === 10).length + (data.length > 0 && data[data.length - 1] !== 10 ? 1 : 0);
      end = count.value >= total ? 0 : offsetAfterLines(data, total - count.value);
    } else end = count.value === 0 ? 0 : offsetAfterLines(data, count.value);
    out.push(data.subarray(0, end));
  });
  ctx.stdout.write(concatBytes(out));
  return status;
};
