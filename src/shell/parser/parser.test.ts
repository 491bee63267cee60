// Parser unit tests: the AST for what bots type, ash's syntax-error texts, and the depth limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseIncrementally } from './parser.ts';
import { ShellSyntaxError } from './syntax-error.ts';
import type { Command, SimpleCommand } from './ast.ts';

function first(source: string): Command {
  const list = parse(source);
  return list[0]!.andOr.first.commands[0]!;
}

function simple(source: string): SimpleCommand {
  const command = first(source);
  assert.equal(command.type, 'simple');
  return command;
}

function syntaxError(source: string): ShellSyntaxError {
  try {
    parse(source);
  } catch (error) {
    assert.ok(error instanceof ShellSyntaxError, `not a syntax error: ${String(error)}`);
    return error;
  }
  assert.fail(`no error for ${source}`);
}

test('operators build lists, and-or chains, pipelines and background items', () => {
  const list = parse('a | b && c || d; e &\nf');
  assert.equal(list.length, 3);
  assert.equal(list[0]!.andOr.first.commands.length, 2);
  assert.deepEqual(list[0]!.andOr.rest.map((r) => r.op), ['&&', '||']);
  assert.equal(list[1]!.background, true);
  assert.equal(list[2]!.background, false);
});

test('redirections carry fds, ops and targets, including >file with no command', () => {
  const cmd = simple('echo a 2>&1 >/dev/null 2>>log <in');
  assert.deepEqual(cmd.redirs.map((r) => [r.fd, r.op, r.target.raw]), [[2, '>&', '1'], [1, '>', '/dev/null'], [2, '>>', 'log'], [0, '<', 'in']]);
  const bare = simple('>file');
  assert.equal(bare.words.length, 0);
  assert.equal(bare.redirs[0]!.target.raw, 'file');
});

test('quotes and escapes mark parts as quoted', () => {
  const cmd = simple(`echo 'a b' "c $X" d\\ e`);
  const [, single, double, escaped] = cmd.words;
  assert.deepEqual(single!.parts, [{ type: 'lit', text: 'a b', quoted: true }]);
  assert.deepEqual(double!.parts.map((p) => p.type), ['lit', 'param']);
  assert.ok(double!.parts.every((p) => p.quoted));
  assert.deepEqual(escaped!.parts.map((p) => (p.type === 'lit' ? [p.text, p.quoted] : null)), [['d', false], [' ', true], ['e', false]]);
});

test('expansions: params, braces, arithmetic, nested $(...) and backquotes', () => {
  const cmd = simple('echo $? ${A:-x} ${#B} $((1 + $C)) $(echo $(echo in)) `echo \\`echo bq\\``');
  const types = cmd.words.slice(1).map((w) => w.parts[0]!.type);
  assert.deepEqual(types, ['param', 'param', 'length', 'arith', 'cmdsub', 'cmdsub']);
  const braced = cmd.words[2]!.parts[0]!;
  assert.ok(braced.type === 'param' && braced.op === ':-');
});

test('assignments before a command and alone', () => {
  const cmd = simple('A=b C="d e" run x=y');
  assert.deepEqual(cmd.assigns.map((a) => a.name), ['A', 'C']);
  assert.deepEqual(cmd.words.map((w) => w.raw), ['run', 'x=y']);
  assert.equal(simple('A=b').words.length, 0);
});

test('compound commands: if/elif/else, for, while, until, case, groups, subshells, functions', () => {
  const ifCmd = first('if a; then b; elif c; then d; else e; fi');
  assert.ok(ifCmd.type === 'if' && ifCmd.clauses.length === 2 && ifCmd.elseBody !== null);
  const forCmd = first('for x in 1 2 3; do echo $x; done');
  assert.ok(forCmd.type === 'for' && forCmd.name === 'x' && forCmd.items?.length === 3);
  const whileCmd = first('while read i; do echo $i; done < file');
  assert.ok(whileCmd.type === 'while' && !whileCmd.until && whileCmd.redirs[0]!.op === '<');
  assert.ok(first('until false; do :; done').type === 'while');
  assert.ok(first('case $x in a|b) echo ab;; *) echo other;; esac').type === 'case');
  assert.ok(first('{ a; b; }').type === 'group');
  assert.ok(first('( a; b )').type === 'subshell');
  assert.ok(first('f() { echo hi; }').type === 'funcdef');
  assert.ok(first('if true\nthen\necho\nfi').type === 'if');
});

test('comments and line continuations are skipped', () => {
  const list = parse('echo a # comment ; echo b\necho \\\nc');
  assert.equal(list.length, 2);
  assert.deepEqual((list[1]!.andOr.first.commands[0] as SimpleCommand).words.map((w) => w.raw), ['echo', 'c']);
});

test('syntax errors use ash texts', () => {
  const cases: [string, string][] = [
    ['fi', 'unexpected "fi"'],
    ['echo "abc', 'unterminated quoted string'],
    ["echo 'abc", 'unterminated quoted string'],
    ['if true; then echo', 'unexpected end of file (expecting "fi")'],
    ['if', 'unexpected end of file (expecting "then")'],
    ['for', 'bad for loop variable'],
    ['for x in; do', 'unexpected end of file (expecting "done")'],
    ['while', 'unexpected end of file (expecting "do")'],
    ['echo )', 'unexpected ")"'],
    ['a &&', 'unexpected end of file'],
    ['|', 'unexpected "|"'],
    ['{ }', 'unexpected "}"'],
    ['()', 'unexpected ")"'],
    [';;', 'unexpected ";;"'],
    ['echo $((', "missing '))'"],
    ['echo ${a', "missing '}'"],
    ['echo $(echo', 'unexpected end of file (expecting ")")'],
    ['echo `echo', 'EOF in backquote substitution'],
    ['echo a && || b', 'unexpected "||"'],
  ];
  for (const [source, message] of cases) assert.equal(syntaxError(source).message, message, source);
  assert.equal(syntaxError('if true; then').incomplete, true);
  assert.equal(syntaxError('fi').incomplete, false);
});

test('hostile nesting returns a syntax error instead of overflowing the stack', () => {
  for (const source of ['('.repeat(10_000), '$('.repeat(10_000), '{ '.repeat(10_000), '${x:-'.repeat(10_000), 'if '.repeat(10_000), '`'.repeat(10_001)]) {
    assert.ok(syntaxError(source) instanceof ShellSyntaxError);
  }
  assert.equal(syntaxError('x'.repeat(2 << 20)).message, 'input too long');
});

test('incremental parsing returns one top-level line at a time', () => {
  const parser = parseIncrementally('echo a; echo b\nfi\n');
  assert.equal(parser.next()?.length, 2);
  assert.throws(() => parser.next(), ShellSyntaxError);
});

test('heredocs take the lines after the command', () => {
  const list = parse('cat <<EOF\nhello $X\nEOF\necho after');
  const cmd = list[0]!.andOr.first.commands[0] as SimpleCommand;
  assert.equal(cmd.redirs[0]!.heredoc?.raw, 'hello $X\n');
  assert.equal(list.length, 2);
});
