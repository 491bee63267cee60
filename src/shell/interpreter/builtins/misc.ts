// Small builtins whose effect is recorded state or a fixed answer: true, false, `:`, alias,
// unalias, ulimit, umask, trap, wait. Nothing here touches the host.
import type { BuiltinContext } from '../executor.ts';
import { quoteValue } from './variables.ts';

export const trueBuiltin = (): number => 0;
export const falseBuiltin = (): number => 1;

export function alias(ctx: BuiltinContext): number {
  const aliases = ctx.shell.aliases;
  const args = ctx.argv.slice(1);
  if (args.length === 0) {
    for (const [name, value] of aliases) ctx.stdout.write(`${name}=${quoteValue(value)}\n`);
    return 0;
  }
  let status = 0;
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq > 0) aliases.set(arg.slice(0, eq), arg.slice(eq + 1));
    else {
      const value = aliases.get(arg);
      if (value === undefined) {
        ctx.stderr.write(`alias: ${arg} not found\n`);
        status = 1;
      } else ctx.stdout.write(`${arg}=${quoteValue(value)}\n`);
    }
  }
  return status;
}

export function unalias(ctx: BuiltinContext): number {
  for (const arg of ctx.argv.slice(1)) {
    if (arg === '-a') ctx.shell.aliases.clear();
    else ctx.shell.aliases.delete(arg);
  }
  return 0;
}

const ULIMIT_ROWS: readonly [string, string, string][] = [
  ['c', 'core file size (blocks)', '0'],
  ['d', 'data seg size (kb)', 'unlimited'],
  ['e', 'scheduling priority', '0'],
  ['f', 'file size (blocks)', 'unlimited'],
  ['i', 'pending signals', '3568'],
  ['l', 'max locked memory (kb)', '64'],
  ['m', 'max memory size (kb)', 'unlimited'],
  ['n', 'open files', '1024'],
  ['p', 'pipe size (512 bytes)', '8'],
  ['q', 'POSIX message queues (bytes)', '819200'],
  ['r', 'real-time priority', '0'],
  ['s', 'stack size (kb)', '8192'],
  ['t', 'cpu time (seconds)', 'unlimited'],
  ['u', 'max user processes', '3568'],
  ['v', 'virtual memory (kb)', 'unlimited'],
  ['x', 'file locks', 'unlimited'],
];

export function ulimit(ctx: BuiltinContext): number {
  const args = ctx.argv.slice(1);
  if (args.includes('-a')) {
    for (const [flag, label, value] of ULIMIT_ROWS) ctx.stdout.write(`${label.padEnd(32)}(-${flag}) ${value}\n`);
    return 0;
  }
  const flag = args.find((a) => /^-[a-zHS]+$/.test(a))?.replace(/[-HS]/g, '') ?? 'f';
  const value = args.find((a) => !a.startsWith('-'));
  if (value !== undefined) return 0;
  ctx.stdout.write(`${ULIMIT_ROWS.find(([f]) => f === flag)?.[2] ?? 'unlimited'}\n`);
  return 0;
}

export function umask(ctx: BuiltinContext): number {
  const arg = ctx.argv[1];
  if (arg === undefined) {
    ctx.stdout.write(`${ctx.shell.umask.toString(8).padStart(4, '0')}\n`);
    return 0;
  }
  if (/^[0-7]{1,4}$/.test(arg)) ctx.shell.umask = parseInt(arg, 8);
  return 0;
}

export function trap(ctx: BuiltinContext): number {
  const args = ctx.argv.slice(1);
  const traps = ctx.shell.traps;
  if (args.length === 0) {
    for (const [signal, action] of traps) ctx.stdout.write(`trap -- ${quoteValue(action)} ${signal}\n`);
    return 0;
  }
  const [action, ...signals] = args;
  for (const given of signals) {
    // ash lists trap 0 as EXIT; one name for both keeps exit handling simple.
    const signal = given === '0' || /^(SIG)?EXIT$/i.test(given) ? 'EXIT' : given;
    if (action === '-') traps.delete(signal);
    else traps.set(signal, action!);
  }
  return 0;
}

export const wait = (): number => 0;
