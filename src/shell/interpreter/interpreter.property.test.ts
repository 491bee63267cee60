// Property tests: random and mutated lines run through a whole shell session never reject, never
// hang (each run is bounded), and leave the session usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cat } from '../commands/cat.ts';
import { echo } from '../commands/echo.ts';
import { printf } from '../commands/printf.ts';
import { sh } from '../commands/sh.ts';
import { createTestShell } from '../../testing/shell-harness.ts';

const commands = { echo, printf, cat, sh };
const limits = { maxLoopIterations: 200, maxOutputBytes: 4096, maxRecursion: 6 };

const corpus = [
  'cd /tmp; echo -ne "\\x7f\\x45" > .d; cat .d; chmod 777 .d; ./.d',
  'for i in 1 2 3; do echo $((i*2)); done | cat',
  'while true; do echo y; done',
  'f() { f | f; }; f',
  'x=$(echo $(echo $(echo deep))); echo ${x#d} ${#x} $((1/0))',
  'if [ 1 ]; then echo a; elif false; then :; else exit 2; fi',
  'sh -c "sh -c \'echo \\$0\'"; eval "eval \\"echo hi\\""',
  'while read l; do echo "$l"; done < /etc/passwd 2>&1 >/dev/null &',
  'echo /*/*/* ${a:=b} ${c?err} `break` $(exit 3) $?',
];

const tokens = fc.constantFrom('echo ', 'cat ', 'sh -c ', 'eval ', 'exit ', 'f', '() ', '{ ', '}', '; ', '&& ', '|| ', '| ', '& ', '(', ')', '$(', '`', '"', "'", '\\', '$((', '))', '1/0', '$?', '${x', ':-', '}', 'while true; do ', 'for i in 1 2; do ', 'done', 'if true; then ', 'fi', '> /tmp/o ', '< /etc/passwd ', '2>&1 ', '* ', 'break ', 'continue ', 'read v ', 'x=', 'a', '\n', '$((2**62*4)) ', 'local y ', 'return ', 'shift 9 ', 'set -- a b ', '. /etc/passwd ', 'cd / ');

async function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`run took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function survives(line: string): Promise<void> {
  const t = createTestShell({ commands, limits });
  const result = await bounded(t.session.runLine(line), 3000);
  assert.ok(result === 'continue' || result === 'exit');
  // The session stays usable (a line may have redefined echo, so only completion is checked).
  if (result === 'continue') assert.equal(typeof (await bounded(t.run('echo ok'), 3000)), 'string');
  await t.session.close();
  assert.deepEqual(t.internalErrors, []);
}

test('random token soup never throws out of runLine and never hangs', async () => {
  await fc.assert(fc.asyncProperty(fc.array(tokens, { maxLength: 40 }).map((a) => a.join('')), survives), { numRuns: 300 });
});

test('arbitrary strings never throw out of runLine', async () => {
  await fc.assert(fc.asyncProperty(fc.string({ maxLength: 200, unit: 'binary' }), survives), { numRuns: 200 });
});

test('mutated attack lines never throw out of runLine and never hang', async () => {
  const mutated = fc.tuple(fc.constantFrom(...corpus), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.string({ maxLength: 4 })), { maxLength: 6 })).map(([line, edits]) => {
    let text = line;
    for (const [at, cut, insert] of edits) {
      const pos = at % (text.length + 1);
      text = text.slice(0, pos) + insert + text.slice(pos + cut);
    }
    return text;
  });
  await fc.assert(fc.asyncProperty(mutated, survives), { numRuns: 300 });
});
