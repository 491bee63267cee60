// Builtins over variables: export, unset, local, readonly-free `set`, shift. Values print in
// ash's single-quoted form (`export A='1'`).
import type { BuiltinContext } from '../executor.ts';
import { ShellAbort } from '../runtime.ts';
import { parseNumberArg } from './flow.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function quoteValue(value: string): string {
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

function sortedVars(ctx: BuiltinContext): [string, string][] {
  return [...ctx.shell.state.vars.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function badName(ctx: BuiltinContext, name: string): never {
  ctx.error(`${name}: bad variable name`);
  throw new ShellAbort(2);
}

export function exportBuiltin(ctx: BuiltinContext): number {
  const args = ctx.argv.slice(1).filter((a) => a !== '-p');
  const { vars, exported } = ctx.shell.state;
  if (args.length === 0) {
    for (const [name, value] of sortedVars(ctx)) if (exported.has(name)) ctx.stdout.write(`export ${name}=${quoteValue(value)}\n`);
    return 0;
  }
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (!NAME.test(name)) badName(ctx, name);
    if (eq >= 0) vars.set(name, arg.slice(eq + 1));
    exported.add(name);
  }
  return 0;
}

export function unset(ctx: BuiltinContext): number {
  const { vars, exported } = ctx.shell.state;
  let functions = false;
  for (const arg of ctx.argv.slice(1)) {
    if (arg === '-f') functions = true;
    else if (arg === '-v') functions = false;
    else if (functions) ctx.shell.functions.delete(arg);
    else {
      if (!NAME.test(arg)) badName(ctx, arg);
      vars.delete(arg);
      exported.delete(arg);
    }
  }
  return 0;
}

export function local(ctx: BuiltinContext): number {
  const frame = ctx.shell.localFrames[0];
  if (frame === undefined) {
    ctx.error('not in a function');
    throw new ShellAbort(2);
  }
  const vars = ctx.shell.state.vars;
  for (const arg of ctx.argv.slice(1)) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (!NAME.test(name)) badName(ctx, name);
    if (!frame.has(name)) frame.set(name, vars.get(name));
    if (eq >= 0) vars.set(name, arg.slice(eq + 1));
  }
  return 0;
}

export function set(ctx: BuiltinContext): number {
  const args = ctx.argv.slice(1);
  if (args.length === 0) {
    for (const [name, value] of sortedVars(ctx)) ctx.stdout.write(`${name}=${quoteValue(value)}\n`);
    return 0;
  }
  const options = ctx.shell.options;
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      i += 1;
      ctx.shell.positional = args.slice(i);
      return 0;
    }
    if (!/^[-+][a-z]+$/.test(arg)) break;
    const on = arg.startsWith('-');
    for (const flag of arg.slice(1)) {
      if (flag === 'f') options.noglob = on;
      else if (flag === 'e') options.errexit = on;
      else if (flag === 'u') options.nounset = on;
      else if (flag === 'x') options.xtrace = on;
    }
  }
  if (i < args.length) ctx.shell.positional = args.slice(i);
  return 0;
}

export function shift(ctx: BuiltinContext): number {
  const n = parseNumberArg(ctx, ctx.argv[1], 1);
  if (n > ctx.shell.positional.length) return 1;
  ctx.shell.positional = ctx.shell.positional.slice(n);
  return 0;
}
