// grep [-icvqEFnlhHwxs] [-e PATTERN] PATTERN [FILE]...: basic or extended regex, BusyBox output.
import type { Command } from '../command.ts';
import { parseOptions } from './getopt.ts';
import { argToByteText, bytesToText, readInput, splitLines, textToBytes } from './input.ts';
import { compileRegex, escapeLiteral, maxRegexSubject } from './posix-regex.ts';
import { optionError, showHelp, showUsage, wantsHelp } from './usage.ts';
import { errnoText } from '../vfs/vfs.ts';

const usage = `grep [-HhnlLoqvsrRiwFEz] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...

Search for PATTERN in FILEs (or stdin)

\t-H\tAdd 'filename:' prefix
\t-h\tDo not add 'filename:' prefix
\t-n\tAdd 'line_no:' prefix
\t-l\tShow only names of files that match
\t-c\tShow only count of matching lines
\t-o\tShow only the matching part of line
\t-q\tQuiet. Return 0 if PATTERN is found, 1 otherwise
\t-v\tSelect non-matching lines
\t-s\tSuppress open and read errors
\t-i\tIgnore case
\t-w\tMatch whole words only
\t-x\tMatch whole lines only
\t-F\tPATTERN is a literal (not regexp)
\t-E\tPATTERN is an extended regexp
\t-e PTRN\tPattern to match`;

export const grep: Command = (ctx) => {
  if (wantsHelp(ctx)) return showHelp(ctx, usage);
  const parsed = parseOptions(ctx.argv.slice(1), 'HhnlLoqvsrRiwFEzcm:A:B:C:e:f:');
  if (!parsed.ok) return optionError(ctx, 'grep', parsed.message, usage);
  const { flags, values, operands } = parsed.options;
  const pattern = values.get('e') ?? operands.shift();
  if (pattern === undefined) return showUsage(ctx, usage);
  const has = (flag: string): boolean => flags.has(flag);
  const source = has('F') ? escapeLiteral(argToByteText(pattern)) : argToByteText(pattern);
  const compiled = has('F')
    ? { ok: true as const, regex: new RegExp(source, has('i') ? 'i' : '') }
    : compileRegex(has('w') ? `\\<${source}\\>` : source, { extended: has('E') || ctx.argv[0] === 'egrep', ignoreCase: has('i') });
  if (!compiled.ok && compiled.reason === 'invalid') {
    ctx.stderr.write(`grep: bad regex '${pattern}'\n`);
    return 2;
  }
  const matches = (line: string): boolean => {
    if (!compiled.ok) return false;
    const subject = line.length > maxRegexSubject ? line.slice(0, maxRegexSubject) : line;
    if (has('x')) {
      const m = compiled.regex.exec(subject);
      return m !== null && m.index === 0 && m[0].length === subject.length;
    }
    return compiled.regex.test(subject);
  };
  const files = operands.length > 0 ? operands : ['-'];
  const showName = (files.length > 1 || has('H')) && !has('h');
  const out: string[] = [];
  let found = false;
  let status = 1;
  let failed = false;
  for (const file of files) {
    const input = readInput(ctx, file);
    if (!input.ok) {
      if (!has('s')) ctx.stderr.write(`grep: ${file}: ${errnoText[input.errno]}\n`);
      failed = true;
      continue;
    }
    const name = file === '-' ? '(standard input)' : file;
    let count = 0;
    const lines = splitLines(bytesToText(input.data));
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n] ?? '';
      if (matches(line) === has('v')) continue;
      count++;
      found = true;
      if (has('q')) return 0;
      if (has('l') || has('c')) continue;
      const prefix = (showName ? `${name}:` : '') + (has('n') ? `${n + 1}:` : '');
      if (has('o') && compiled.ok && !has('v')) {
        const global = new RegExp(compiled.regex.source, `${compiled.regex.flags}g`);
        for (const m of line.slice(0, maxRegexSubject).matchAll(global)) if (m[0] !== '') out.push(prefix + m[0]);
      } else out.push(prefix + line);
    }
    if (has('c')) out.push(`${showName ? `${name}:` : ''}${count}`);
    else if (has('l') && count > 0) out.push(name);
  }
  if (found) status = 0;
  if (failed && !(has('q') && found)) status = 2;
  if (out.length > 0) ctx.stdout.write(textToBytes(`${out.join('\n')}\n`));
  return status;
};
