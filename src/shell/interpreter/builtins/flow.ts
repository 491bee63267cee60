// Builtins that change control flow: exit, return, break, continue. Bad numbers abort the line
// with ash's "Illegal number" text, as a special builtin error does.
import type { BuiltinContext } from '../executor.ts';
import { ExitSignal, LoopSignal, ReturnSignal, ShellAbort } from '../runtime.ts';

export function parseNumberArg(ctx: BuiltinContext, text: string | undefined, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  if (!/^[0-9]+$/.test(text) || Number(text) < min) {
    ctx.error(`Illegal number: ${text}`);
    throw new ShellAbort(2);
  }
  return Number(text);
}

export function exit(ctx: BuiltinContext): number {
  const status = parseNumberArg(ctx, ctx.argv[1], ctx.shell.state.lastStatus);
  throw new ExitSignal(status & 255);
}

export function returnBuiltin(ctx: BuiltinContext): number {
  const status = parseNumberArg(ctx, ctx.argv[1], ctx.shell.state.lastStatus);
  throw new ReturnSignal(status & 255);
}

export function breakBuiltin(ctx: BuiltinContext): number {
  return loopControl(ctx, 'break');
}

export function continueBuiltin(ctx: BuiltinContext): number {
  return loopControl(ctx, 'continue');
}

function loopControl(ctx: BuiltinContext, kind: 'break' | 'continue'): number {
  const levels = parseNumberArg(ctx, ctx.argv[1], 1, 1);
  if (ctx.shell.loopDepth === 0) return 0;
  throw new LoopSignal(kind, Math.min(levels, ctx.shell.loopDepth));
}
