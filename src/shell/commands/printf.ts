// printf as in BusyBox: the format is reused while arguments remain, %b expands escapes, `\c`
// stops output, bad numbers warn and count as 0, an unknown conversion ends with `invalid format`.
import type { Command, CommandContext } from '../command.ts';
import { expandEscapes } from './escapes.ts';
import { showUsage } from './usage.ts';
import { formatFloat, formatInteger, type Spec } from './printf-format.ts';

const usage = 'printf FORMAT [ARG]...\n\nFormat and print ARG(s) according to FORMAT (a-la C printf)';
const encoder = new TextEncoder();

/** Parses a numeric argument as BusyBox does: 'c and "c give the character code; 0x hex, 0 octal. */
function parseNumber(ctx: CommandContext, arg: string | undefined, onError: () => void): bigint {
  if (arg === undefined || arg === '') return 0n;
  if (arg.startsWith("'") || arg.startsWith('"')) return BigInt(arg.codePointAt(1) ?? 0);
  const match = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(arg);
  if (match) {
    const [, sign = '', digits = '0'] = match;
    const isOctal = digits.length > 1 && digits.startsWith('0') && !/^0[xX]/.test(digits);
    const value = isOctal ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
    return sign === '-' ? -value : value;
  }
  ctx.stderr.write(`printf: invalid number '${arg}'\n`);
  onError();
  return 0n;
}

function parseFloatArg(ctx: CommandContext, arg: string | undefined, onError: () => void): number {
  if (arg === undefined || arg === '') return 0;
  if (arg.startsWith("'") || arg.startsWith('"')) return arg.codePointAt(1) ?? 0;
  const trimmed = arg.trim();
  const value = /^[+-]?0[xX]/.test(trimmed) ? Number.parseInt(trimmed, 16) : Number(trimmed);
  if (trimmed === '' || Number.isNaN(value)) {
    ctx.stderr.write(`printf: invalid number '${arg}'\n`);
    onError();
    return 0;
  }
  return value;
}

const conversionRe = /^%([-+ #0']*)(\*|\d*)(?:\.(\*|\d*))?([hlLjzt]*)(.?)/s;

export const printf: Command = (ctx) => {
  const format = ctx.argv[1];
  if (format === undefined) return showUsage(ctx, usage);
  const args = ctx.argv.slice(2);
  const out: number[] = [];
  const push = (bytes: Uint8Array): void => {
    for (const byte of bytes) out.push(byte);
  };
  let status = 0;
  const fail = (): void => void (status = 1);
  let argIndex = 0;
  const next = (): string | undefined => args[argIndex++];

  // One pass over the format; returns false when output must stop (\c, %b with \c, bad format).
  const pass = (): boolean => {
    let i = 0;
    while (i < format.length) {
      const percent = format.indexOf('%', i);
      const literalEnd = percent < 0 ? format.length : percent;
      if (literalEnd > i) {
        const { bytes, stopped } = expandEscapes(format.slice(i, literalEnd), false);
        push(bytes);
        if (stopped) return false;
      }
      if (percent < 0) break;
      const match = conversionRe.exec(format.slice(percent));
      const [whole = '%', flags = '', widthText = '', precisionText, modifiers = '', conversion = ''] = match ?? [];
      if (conversion === '%' && whole === '%%') {
        out.push(37);
        i = percent + 2;
        continue;
      }
      if (!'diouxXfeEgGcsb'.includes(conversion) || conversion === '') {
        const shown = format.slice(percent).replace(modifiers, '');
        ctx.stderr.write(`printf: ${shown}: invalid format\n`);
        status = 1;
        return false;
      }
      const width = widthText === '*' ? Number(parseNumber(ctx, next(), fail)) : widthText === '' ? null : Number(widthText);
      const precision = precisionText === undefined ? null : precisionText === '*' ? Number(parseNumber(ctx, next(), fail)) : Number(precisionText || '0');
      const spec: Spec = { flags, width, precision, conversion };
      const arg = next();
      if (conversion === 'b') {
        const { bytes, stopped } = expandEscapes(arg ?? '', true);
        push(bytes);
        if (stopped) return false;
      } else if (conversion === 's' || conversion === 'c') {
        let text = conversion === 'c' ? (arg ?? '').slice(0, 1) : (arg ?? '');
        if (conversion === 's' && precision !== null) text = text.slice(0, precision);
        const pad = ' '.repeat(Math.max(0, (width ?? 0) - text.length));
        push(encoder.encode(flags.includes('-') ? text + pad : pad + text));
      } else if ('feEgG'.includes(conversion)) {
        push(encoder.encode(formatFloat(parseFloatArg(ctx, arg, fail), spec)));
      } else {
        push(encoder.encode(formatInteger(parseNumber(ctx, arg, fail), spec)));
      }
      i = percent + whole.length;
    }
    return true;
  };

  let keepGoing = pass();
  while (keepGoing && argIndex > 0 && argIndex < args.length) {
    const before = argIndex;
    keepGoing = pass();
    if (argIndex === before) break;
  }
  ctx.stdout.write(Uint8Array.from(out));
  return status;
};
