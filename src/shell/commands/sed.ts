// sed [-nEr] [-i] [-e SCRIPT]... [SCRIPT] [FILE]...: stream editing for the common subset
// (s///, p, d, q, =, line/regex/$ addresses and ranges); -i rewrites files in the overlay.
import type { Command, CommandContext } from '../command.ts';
import { absolute } from './file-ops.ts';
import { parseOptions } from './getopt.ts';
import { argToByteText, bytesToText, readInput, splitLines, textToBytes } from './input.ts';
import { maxRegexSubject } from './posix-regex.ts';
import { type Address, parseSedScript, type SedCommand } from './sed-script.ts';
import { errorText, optionError, showHelp, showUsage, wantsHelp } from './usage.ts';
import { errnoText } from '../vfs/vfs.ts';

const usage = `sed [-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...
or: sed [-i[SFX]] [-nrE] CMD [FILE]...

\t-e CMD\tAdd CMD to sed commands to be executed
\t-f FILE\tAdd FILE contents to sed commands to be executed
\t-i[SFX]\tEdit files in-place (otherwise write to stdout)
\t\tOptionally back files up, appending SFX
\t-n\tSuppress automatic printing of pattern space
\t-r,-E\tUse extended regex syntax

If no -e or -f, the first non-option argument is the sed command string.
Remaining arguments are input files (stdin if none).`;

function run(commands: readonly SedCommand[], text: string, quiet: boolean): string {
  const lines = splitLines(text);
  const out: string[] = [];
  const active = new Map<SedCommand, boolean>();
  const hit = (address: Address, n: number, line: string): boolean =>
    address.kind === 'line' ? n === address.line : address.kind === 'last' ? n === lines.length : address.regex !== null && address.regex.test(line.slice(0, maxRegexSubject));
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index] ?? '';
    const n = index + 1;
    let deleted = false;
    let quit = false;
    for (const command of commands) {
      let selected = command.from === null || hit(command.from, n, line);
      if (command.to !== null && command.from !== null) {
        if (active.get(command) === true) {
          selected = true;
          if (hit(command.to, n, line) || (command.to.kind === 'line' && n >= command.to.line)) active.set(command, false);
        } else if (selected && !(command.to.kind === 'line' && command.to.line <= n)) active.set(command, true);
      }
      if (selected === command.negate) continue;
      if (command.name === 'p') out.push(line);
      else if (command.name === '=') out.push(String(n));
      else if (command.name === 'd') {
        deleted = true;
        break;
      } else if (command.name === 'q') {
        quit = true;
        break;
      } else if (command.regex) {
        const regex = command.regex;
        const subject = line.length > maxRegexSubject ? line.slice(0, maxRegexSubject) : line;
        const rest = line.slice(subject.length);
        let count = 0;
        const replaced = command.global || command.occurrence === 1
          ? subject.replace(regex, command.replacement ?? '')
          : subject.replace(new RegExp(regex.source, `${regex.flags}g`), (...args: unknown[]) => (++count === command.occurrence ? String(args[0]).replace(regex, command.replacement ?? '') : String(args[0])));
        if (replaced !== subject) {
          line = replaced + rest;
          if (command.print) out.push(line);
        }
      }
    }
    if (!deleted && !quiet) out.push(line);
    if (quit) break;
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

function editInPlace(ctx: CommandContext, commands: readonly SedCommand[], files: readonly string[], quiet: boolean): number {
  let status = 0;
  for (const file of files) {
    const path = absolute(ctx, file);
    try {
      const text = bytesToText(ctx.fs.readFile(path));
      ctx.fs.writeFile(path, textToBytes(run(commands, text, quiet)));
    } catch (error) {
      ctx.stderr.write(`sed: ${file}: ${errorText(error)}\n`);
      status = 1;
    }
  }
  return status;
}

export const sed: Command = (ctx) => {
  if (wantsHelp(ctx)) return showHelp(ctx, usage);
  // -i takes an optional attached suffix, which getopt cannot express: strip it first.
  // Several -e scripts join with newlines; getopt keeps only one value, so collect them first.
  const scripts: string[] = [];
  const args: string[] = [];
  const raw = ctx.argv.slice(1);
  for (let i = 0; i < raw.length; i++) {
    const arg = raw[i] ?? '';
    if (arg === '-e') scripts.push(raw[++i] ?? '');
    else args.push(/^-[nrE]*i/.test(arg) ? arg.replace(/i.*$/, 'i') : arg);
  }
  const parsed = parseOptions(args, 'nrEif:s');
  if (!parsed.ok) return optionError(ctx, 'sed', parsed.message, usage);
  const { flags, operands } = parsed.options;
  const scriptArg = scripts.length > 0 ? scripts.join('\n') : operands.shift();
  if (scriptArg === undefined) return showUsage(ctx, usage);
  const script = parseSedScript(argToByteText(scriptArg), flags.has('r') || flags.has('E'));
  if (!script.ok) {
    ctx.stderr.write(`sed: ${script.message}\n`);
    return 1;
  }
  const quiet = flags.has('n');
  if (flags.has('i') && operands.length > 0) return editInPlace(ctx, script.commands, operands, quiet);
  let status = 0;
  let text = '';
  for (const file of operands.length > 0 ? operands : ['-']) {
    const input = readInput(ctx, file);
    if (!input.ok) {
      ctx.stderr.write(`sed: ${file}: ${errnoText[input.errno]}\n`);
      status = 1;
      continue;
    }
    const chunk = bytesToText(input.data);
    text += chunk.length > 0 && !chunk.endsWith('\n') ? `${chunk}\n` : chunk;
  }
  ctx.stdout.write(textToBytes(run(script.commands, text, quiet)));
  return status;
};
