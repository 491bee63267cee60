// Builtins that run more shell text: eval, `.`/source, and `command`/`type` which look commands up.
import type { BuiltinContext } from '../executor.ts';
import { ReturnSignal, ShellAbort } from '../runtime.ts';
import { bytesToShell } from '../text-bytes.ts';

export async function evalBuiltin(ctx: BuiltinContext): Promise<number> {
  const source = ctx.argv.slice(1).join(' ');
  if (source.trim() === '') return 0;
  return ctx.exec.runSource(ctx.shell, source, ctx.fds);
}

export async function dot(ctx: BuiltinContext): Promise<number> {
  const name = ctx.argv[1];
  if (name === undefined) throw new ShellAbort(2);
  const fs = ctx.shell.env.fs;
  const path = name.includes('/') ? fs.resolve(ctx.shell.state.cwd, name) : findInPath(ctx, name);
  const node = path === null ? null : fs.stat(path);
  if (path === null || node?.kind !== 'file') {
    ctx.error(`can't open '${name}': No such file or directory`);
    throw new ShellAbort(2);
  }
  const saved = ctx.shell.positional;
  if (ctx.argv.length > 2) ctx.shell.positional = ctx.argv.slice(2);
  try {
    return await ctx.exec.runSource(ctx.shell, bytesToShell(fs.readFile(path)), ctx.fds);
  } catch (error) {
    if (error instanceof ReturnSignal) return error.status;
    throw error;
  } finally {
    ctx.shell.positional = saved;
  }
}

function findInPath(ctx: BuiltinContext, name: string): string | null {
  const fs = ctx.shell.env.fs;
  for (const dir of (ctx.shell.state.vars.get('PATH') ?? '').split(':')) {
    const path = fs.resolve(ctx.shell.state.cwd, `${dir === '' ? '.' : dir}/${name}`);
    if (fs.stat(path)?.kind === 'file') return path;
  }
  const local = fs.resolve(ctx.shell.state.cwd, name);
  return fs.stat(local)?.kind === 'file' ? local : null;
}

export function type(ctx: BuiltinContext): number {
  let status = 0;
  for (const name of ctx.argv.slice(1)) {
    const found = ctx.exec.describe(ctx.shell, name);
    switch (found.kind) {
      case 'special':
        ctx.stdout.write(`${name} is a special shell builtin\n`);
        break;
      case 'builtin':
        ctx.stdout.write(`${name} is a shell builtin\n`);
        break;
      case 'function':
        ctx.stdout.write(`${name} is a function\n`);
        break;
      case 'alias':
        ctx.stdout.write(`${name} is an alias for ${ctx.shell.aliases.get(name) ?? ''}\n`);
        break;
      case 'keyword':
        ctx.stdout.write(`${name} is a shell keyword\n`);
        break;
      case 'file':
        ctx.stdout.write(`${name} is ${found.path}\n`);
        break;
      case 'none':
        ctx.stdout.write(`${name}: not found\n`);
        status = 127;
    }
  }
  return status;
}

export async function command(ctx: BuiltinContext): Promise<number> {
  const args = ctx.argv.slice(1);
  if (args[0] === '-v' || args[0] === '-V') {
    // BusyBox 1.35 answers only its first operand.
    const name = args[1];
    if (name === undefined) return 0;
    const found = ctx.exec.describe(ctx.shell, name);
    if (found.kind === 'none') return 127;
    if (args[0] === '-V') return type({ ...ctx, argv: ['type', name] });
    ctx.stdout.write(`${found.kind === 'file' ? found.path : found.kind === 'alias' ? `alias ${name}='${ctx.shell.aliases.get(name) ?? ''}'` : name}\n`);
    return 0;
  }
  const rest = args[0] === '-p' || args[0] === '--' ? args.slice(1) : args;
  if (rest.length === 0) return 0;
  return ctx.exec.runArgv(ctx.shell, rest, ctx.fds);
}
