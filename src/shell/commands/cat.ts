// cat: concatenates files (or stdin) to stdout; -n numbers lines like BusyBox's nl-based cat.
import type { Command } from '../command.ts';
import { concatBytes } from './file-ops.ts';
import { bytesToText, readInput, splitLines, textToBytes } from './input.ts';
import { optionError, showHelp, wantsHelp } from './usage.ts';
import { errnoText } from '../vfs/vfs.ts';

const usage = `cat [-nbvteA] [FILE]...

Print FILEs to stdout

\t-n\tNumber output lines
\t-b\tNumber nonempty lines
\t-v\tShow nonprinting characters as ^x or M-x
\t-t\t...and tabs as ^I
\t-e\t...and end lines with $
\t-A\tSame as -vte`;

export const cat: Command = (ctx) => {
  if (wantsHelp(ctx)) return showHelp(ctx, usage);
  const args = ctx.argv.slice(1);
  const flags = new Set<string>();
  const files: string[] = [];
  for (const arg of args) {
    if (/^-[nbvteA]+$/.test(arg)) for (const letter of arg.slice(1)) flags.add(letter);
    else if (arg.startsWith('-') && arg !== '-') return optionError(ctx, 'cat', `invalid option -- '${arg[1] ?? ''}'`, usage);
    else files.push(arg);
  }
  if (files.length === 0) files.push('-');
  const chunks: Uint8Array[] = [];
  let status = 0;
  for (const name of files) {
    const input = readInput(ctx, name);
    if (input.ok) chunks.push(input.data);
    else if (input.errno === 'EISDIR') {
      ctx.stdout.write(concatBytes(chunks.splice(0)));
      ctx.stderr.write(`cat: read error: ${errnoText.EISDIR}\n`);
      status = 1;
    } else {
      ctx.stdout.write(concatBytes(chunks.splice(0)));
      ctx.stderr.write(`cat: can't open '${name}': ${errnoText[input.errno]}\n`);
      status = 1;
    }
  }
  let out = concatBytes(chunks);
  if (flags.has('n') || flags.has('b')) {
    const text = bytesToText(out);
    let number = 0;
    const numbered = splitLines(text).map((line) => (flags.has('b') && line === '' ? '' : `${String(++number).padStart(6)}\t${line}`));
    out = textToBytes(numbered.join('\n') + (text === '' ? '' : text.endsWith('\n') ? '\n' : ''));
  }
  ctx.stdout.write(out);
  return status;
};
