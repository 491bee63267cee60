// $((...)) with BusyBox ash semantics: 64-bit signed wrap-around, C precedence, variables holding
// expressions are evaluated recursively, and ash's exact error texts.

export class ArithError extends Error {}

export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

type Node =
  | { readonly t: 'num'; readonly v: bigint }
  | { readonly t: 'var'; readonly name: string }
  | { readonly t: 'un'; readonly op: string; readonly a: Node }
  | { readonly t: 'bin'; readonly op: string; readonly a: Node; readonly b: Node }
  | { readonly t: 'cond'; readonly c: Node; readonly a: Node; readonly b: Node }
  | { readonly t: 'assign'; readonly op: string; readonly name: string; readonly b: Node }
  | { readonly t: 'incdec'; readonly op: '++' | '--'; readonly prefix: boolean; readonly name: string };

const SYNTAX = 'arithmetic syntax error';
const OPS = ['<<=', '>>=', '**', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '++', '--', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '+', '-', '*', '/', '%', '<', '>', '&', '^', '|', '!', '~', '?', ':', '=', '(', ')', ','];
const BINARY: readonly (readonly string[])[] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
const MAX_TOKENS = 10_000;
const MAX_NESTING = 64;

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      i += 1;
      continue;
    }
    const word = /^[A-Za-z0-9_]+/.exec(text.slice(i, i + 64));
    if (word) {
      tokens.push(word[0]);
      i += word[0].length;
    } else {
      const op = OPS.find((candidate) => text.startsWith(candidate, i));
      if (op === undefined) throw new ArithError(SYNTAX);
      tokens.push(op);
      i += op.length;
    }
    if (tokens.length > MAX_TOKENS) throw new ArithError(SYNTAX);
  }
  return tokens;
}

function parseNumber(text: string): bigint | null {
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return wrap(BigInt(text));
  if (/^0[0-7]+$/.test(text)) return wrap(BigInt('0o' + text.slice(1)));
  if (/^[0-9]+$/.test(text) && !/^0[0-9]/.test(text)) return wrap(BigInt(text));
  return null;
}

class ArithParser {
  private readonly tokens: string[];
  private pos = 0;
  private nesting = 0;
  constructor(tokens: string[]) {
    this.tokens = tokens;
  }

  parseAll(): Node | null {
    if (this.tokens.length === 0) return null;
    const node = this.comma();
    if (this.pos < this.tokens.length) throw new ArithError(SYNTAX);
    return node;
  }

  private peek(): string | undefined {
    return this.tokens[this.pos];
  }

  private comma(): Node {
    let node = this.assign();
    while (this.peek() === ',') {
      this.pos += 1;
      node = { t: 'bin', op: ',', a: node, b: this.assign() };
    }
    return node;
  }

  private assign(): Node {
    const name = this.peek();
    const op = this.tokens[this.pos + 1];
    if (name !== undefined && /^[A-Za-z_]/.test(name) && op !== undefined && /^([*/%+&^|-]|<<|>>)?=$/.test(op)) {
      this.pos += 2;
      this.enter();
      const b = this.assign();
      this.nesting -= 1;
      return { t: 'assign', op, name, b };
    }
    return this.conditional();
  }

  private conditional(): Node {
    const c = this.binary(0);
    if (this.peek() !== '?') return c;
    this.pos += 1;
    this.enter();
    const a = this.assign();
    if (this.peek() !== ':') throw new ArithError(SYNTAX);
    this.pos += 1;
    const b = this.assign();
    this.nesting -= 1;
    return { t: 'cond', c, a, b };
  }

  private binary(level: number): Node {
    if (level >= BINARY.length) return this.power();
    let node = this.binary(level + 1);
    for (;;) {
      const op = this.peek();
      if (op === undefined || !BINARY[level]!.includes(op)) return node;
      this.pos += 1;
      node = { t: 'bin', op, a: node, b: this.binary(level + 1) };
    }
  }

  private power(): Node {
    const base = this.unary();
    if (this.peek() !== '**') return base;
    this.pos += 1;
    this.enter();
    const exponent = this.power();
    this.nesting -= 1;
    return { t: 'bin', op: '**', a: base, b: exponent };
  }

  private enter(): void {
    this.nesting += 1;
    if (this.nesting > MAX_NESTING) throw new ArithError(SYNTAX);
  }

  private unary(): Node {
    const token = this.peek();
    if (token === '+' || token === '-' || token === '!' || token === '~') {
      this.pos += 1;
      this.enter();
      const a = this.unary();
      this.nesting -= 1;
      return { t: 'un', op: token, a };
    }
    if (token === '++' || token === '--') {
      this.pos += 1;
      const name = this.peek();
      if (name === undefined || !/^[A-Za-z_]/.test(name)) throw new ArithError(SYNTAX);
      this.pos += 1;
      return { t: 'incdec', op: token, prefix: true, name };
    }
    return this.postfix();
  }

  private postfix(): Node {
    const token = this.peek();
    if (token === undefined) throw new ArithError(SYNTAX);
    this.pos += 1;
    if (token === '(') {
      this.enter();
      const inner = this.comma();
      this.nesting -= 1;
      if (this.peek() !== ')') throw new ArithError(SYNTAX);
      this.pos += 1;
      return inner;
    }
    if (/^[0-9]/.test(token)) {
      const value = parseNumber(token);
      if (value === null) throw new ArithError(SYNTAX);
      return { t: 'num', v: value };
    }
    if (/^[A-Za-z_]/.test(token)) {
      const next = this.peek();
      if (next === '++' || next === '--') {
        this.pos += 1;
        return { t: 'incdec', op: next, prefix: false, name: token };
      }
      return { t: 'var', name: token };
    }
    throw new ArithError(SYNTAX);
  }
}

class Evaluator {
  private readonly vars: ArithVars;
  private readonly resolving = new Set<string>();
  constructor(vars: ArithVars) {
    this.vars = vars;
  }

  variable(name: string): bigint {
    const value = this.vars.get(name);
    if (value === undefined || value.trim() === '') return 0n;
    const direct = parseNumber(value.trim());
    if (direct !== null) return direct;
    if (this.resolving.has(name)) throw new ArithError('expression recursion loop detected');
    this.resolving.add(name);
    try {
      const node = new ArithParser(tokenize(value)).parseAll();
      return node === null ? 0n : this.eval(node);
    } finally {
      this.resolving.delete(name);
    }
  }

  eval(node: Node): bigint {
    switch (node.t) {
      case 'num':
        return node.v;
      case 'var':
        return this.variable(node.name);
      case 'un': {
        const a = this.eval(node.a);
        if (node.op === '-') return wrap(-a);
        if (node.op === '!') return a === 0n ? 1n : 0n;
        if (node.op === '~') return wrap(~a);
        return a;
      }
      case 'cond':
        return this.eval(node.c) !== 0n ? this.eval(node.a) : this.eval(node.b);
      case 'incdec': {
        const old = this.variable(node.name);
        const updated = wrap(node.op === '++' ? old + 1n : old - 1n);
        this.vars.set(node.name, updated.toString());
        return node.prefix ? updated : old;
      }
      case 'assign': {
        const right = this.eval(node.b);
        const value = node.op === '=' ? right : binaryOp(node.op.slice(0, -1), this.variable(node.name), right);
        this.vars.set(node.name, value.toString());
        return value;
      }
      case 'bin': {
        if (node.op === '&&') return this.eval(node.a) !== 0n && this.eval(node.b) !== 0n ? 1n : 0n;
        if (node.op === '||') return this.eval(node.a) !== 0n || this.eval(node.b) !== 0n ? 1n : 0n;
        if (node.op === ',') {
          this.eval(node.a);
          return this.eval(node.b);
        }
        return binaryOp(node.op, this.eval(node.a), this.eval(node.b));
      }
    }
  }
}

function binaryOp(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case '+':
      return wrap(a + b);
    case '-':
      return wrap(a - b);
    case '*':
      return wrap(a * b);
    case '/':
    case '%':
      if (b === 0n) throw new ArithError('divide by zero');
      return wrap(op === '/' ? a / b : a % b);
    case '**': {
      if (b < 0n) throw new ArithError('exponent less than 0');
      let result = 1n;
      let base = a;
      let e = b;
      while (e > 0n) {
        if (e & 1n) result = wrap(result * base);
        base = wrap(base * base);
        e >>= 1n;
      }
      return result;
    }
    case '<<':
      return wrap(a << (b & 63n));
    case '>>':
      return a >> (b & 63n);
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '<':
      return a < b ? 1n : 0n;
    case '>':
      return a > b ? 1n : 0n;
    case '<=':
      return a <= b ? 1n : 0n;
    case '>=':
      return a >= b ? 1n : 0n;
    case '==':
      return a === b ? 1n : 0n;
    case '!=':
      return a !== b ? 1n : 0n;
    default:
      throw new ArithError(SYNTAX);
  }
}

/** Evaluates an already-expanded arithmetic expression; throws ArithError with ash's message. */
export function evaluateArithmetic(text: string, vars: ArithVars): bigint {
  const node = new ArithParser(tokenize(text)).parseAll();
  return node === null ? 0n : new Evaluator(vars).eval(node);
}
