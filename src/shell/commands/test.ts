// test / [: POSIX expressions (! -a -o parentheses, string, numeric and file tests) with BusyBox's
// messages: `[: missing ]`, `test: X: bad number`, `test: X: unknown operand` (status 2).
import type { Command, CommandContext } from '../command.ts';
import { absolute } from './file-ops.ts';
import { appletName } from './usage.ts';

class TestError extends Error {}

const unaryFile = new Set(['-e', '-f', '-d', '-x', '-r', '-w', '-s', '-L', '-h', '-b', '-c', '-p', '-S', '-g', '-u', '-k', '-O', '-G']);
const binary = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);

function toNumber(text: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new TestError(`${text}: bad number`);
  return Number(text);
}

function fileTest(ctx: CommandContext, op: string, operand: string): boolean {
  const path = absolute(ctx, operand);
  const node = op === '-L' || op === '-h' ? ctx.fs.lstat(path) : ctx.fs.stat(path);
  if (node === null) return false;
  const mode = node.kind === 'symlink' ? 0o777 : node.mode;
  switch (op) {
    case '-f': return node.kind === 'file';
    case '-d': return node.kind === 'dir';
    case '-x': return (mode & 0o111) !== 0;
    case '-r': return (mode & 0o444) !== 0 || ctx.state.uid === 0;
    case '-w': return (mode & 0o222) !== 0 || ctx.state.uid === 0;
    case '-s': return node.kind === 'file' ? node.data.length > 0 : node.kind === 'dir';
    case '-L': case '-h': return node.kind === 'symlink';
    case '-c': return node.kind === 'device';
    case '-b': case '-p': case '-S': return false;
    case '-g': return (mode & 0o2000) !== 0;
    case '-u': return (mode & 0o4000) !== 0;
    case '-k': return (mode & 0o1000) !== 0;
    default: return true;
  }
}

function evaluate(ctx: CommandContext, args: readonly string[]): boolean {
  let pos = 0;
  const peek = (offset = 0): string | undefined => args[pos + offset];
  const primary = (): boolean => {
    const token = args[pos];
    if (token === undefined) throw new TestError('argument expected');
    if (token === '!') {
      pos++;
      return !primary();
    }
    if (token === '(' && args.length - pos > 2) {
      pos++;
      const value = orExpr();
      if (args[pos] !== ')') throw new TestError('missing )');
      pos++;
      return value;
    }
    const next = peek(1);
    if (next !== undefined && binary.has(next) && peek(2) !== undefined) {
      const left = token;
      const right = peek(2) ?? '';
      pos += 3;
      switch (next) {
        case '=': case '==': return left === right;
        case '!=': return left !== right;
        case '<': return left < right;
        case '>': return left > right;
        case '-eq': return toNumber(left) === toNumber(right);
        case '-ne': return toNumber(left) !== toNumber(right);
        case '-lt': return toNumber(left) < toNumber(right);
        case '-le': return toNumber(left) <= toNumber(right);
        case '-gt': return toNumber(left) > toNumber(right);
        case '-ge': return toNumber(left) >= toNumber(right);
        default: return false;
      }
    }
    if ((token === '-z' || token === '-n' || unaryFile.has(token)) && next !== undefined) {
      pos += 2;
      if (token === '-z') return next === '';
      if (token === '-n') return next !== '';
      return fileTest(ctx, token, next);
    }
    pos++;
    return token !== '';
  };
  const andExpr = (): boolean => {
    let value = primary();
    while (peek() === '-a') {
      pos++;
      value = primary() && value;
    }
    return value;
  };
  const orExpr = (): boolean => {
    let value = andExpr();
    while (peek() === '-o') {
      pos++;
      value = andExpr() || value;
    }
    return value;
  };
  if (args.length === 0) return false;
  const result = orExpr();
  const extra = args[pos];
  if (extra !== undefined) throw new TestError(`${extra}: unknown operand`);
  return result;
}

export const test: Command = (ctx) => {
  const name = appletName(ctx);
  let args = ctx.argv.slice(1);
  if (name === '[') {
    if (args[args.length - 1] !== ']') {
      ctx.stderr.write('[: missing ]\n');
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    return evaluate(ctx, args) ? 0 : 1;
  } catch (error) {
    if (!(error instanceof TestError)) throw error;
    ctx.stderr.write(`${name}: ${error.message}\n`);
    return 2;
  }
};
