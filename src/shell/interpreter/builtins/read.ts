// `read [-r] [-p PROMPT] [VAR...]`: one line from the command's input (pipe, file, heredoc), split
// on IFS, last variable takes the rest. At the login shell's terminal it waits for the next line.
import type { BuiltinContext } from '../executor.ts';
import type { PendingRead, Shell } from '../runtime.ts';

const MAX_LINE = 1 << 20;

export function read(ctx: BuiltinContext): number {
  const args = ctx.argv.slice(1);
  let raw = false;
  let prompt: string | undefined;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-r') raw = true;
    else if (arg === '-p') {
      prompt = args[i + 1];
      i += 1;
    } else if (arg === '-t' || arg === '-n' || arg === '-u') i += 1;
    else if (/^-[rs]+$/.test(arg)) raw = raw || arg.includes('r');
    else names.push(arg);
  }
  if (names.length === 0) names.push('REPLY');
  const src = ctx.stdin;
  if (src.terminal && ctx.shell.mode === 'interactive') {
    // The login shell's next typed line is the answer: the session hands it to assignRead.
    ctx.shell.pendingRead = { names, raw, prompt: prompt ?? '' };
    return 0;
  }
  let line = '';
  let sawNewline = false;
  while (src.pos < src.data.length && line.length < MAX_LINE) {
    const ch = String.fromCharCode(src.data[src.pos]!);
    src.pos += 1;
    if (ch === '\n') {
      sawNewline = true;
      break;
    }
    if (ch === '\\' && !raw) {
      if (src.pos < src.data.length) {
        const next = String.fromCharCode(src.data[src.pos]!);
        src.pos += 1;
        if (next !== '\n') line += `\\${next}`;
        continue;
      }
      continue;
    }
    line += ch;
  }
  assign(ctx.shell, names, line, raw);
  return sawNewline ? 0 : 1;
}

/** Gives a line typed at the terminal to the `read` that was waiting for it. */
export function assignRead(shell: Shell, pending: PendingRead, line: string): void {
  let text = line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line;
  // Without -r a backslash escapes the next char; a trailing one is dropped.
  if (!pending.raw) text = text.replace(/\\$/, '');
  assign(shell, pending.names, text, pending.raw);
}

/** Splits like ash's read: IFS whitespace trimmed, escapes kept literal, last name takes the rest. */
function assign(shell: Shell, names: readonly string[], line: string, raw: boolean): void {
  const ifs = shell.state.vars.get('IFS') ?? ' \t\n';
  const vars = shell.state.vars;
  const unescape = (text: string): string => (raw ? text : text.replace(/\\(.)/gs, '$1'));
  let rest = line;
  const isWs = (c: string): boolean => ifs.includes(c) && ' \t\n'.includes(c);
  const isSep = (c: string): boolean => ifs.includes(c);
  const trimStart = (text: string): string => {
    let i = 0;
    while (i < text.length && isWs(text[i]!)) i += 1;
    return text.slice(i);
  };
  rest = trimStart(rest);
  for (const [index, name] of names.entries()) {
    if (index === names.length - 1) {
      let end = rest.length;
      while (end > 0 && isWs(rest[end - 1]!) && rest[end - 2] !== '\\') end -= 1;
      vars.set(name, unescape(rest.slice(0, end)));
      return;
    }
    let i = 0;
    while (i < rest.length && !isSep(rest[i]!)) i += rest[i] === '\\' && !raw ? 2 : 1;
    vars.set(name, unescape(rest.slice(0, i)));
    rest = rest.slice(i);
    rest = trimStart(rest);
    if (rest.length > 0 && isSep(rest[0]!)) rest = trimStart(rest.slice(1));
  }
}

