// Shell session tests: a login shell over a small persona — command resolution, exec attempts,
// captures, prompt, continuation lines, limits, and the events a line produces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from './command.ts';
import { cat } from './commands/cat.ts';
import { chmod } from './commands/chmod.ts';
import { echo } from './commands/echo.ts';
import { printf } from './commands/printf.ts';
import { rm } from './commands/rm.ts';
import { sh } from './commands/sh.ts';
import { ls } from './commands/ls.ts';
import { createTestShell, testTree } from '../testing/shell-harness.ts';

const commands: Readonly<Record<string, Command>> = { echo, printf, cat, chmod, rm, sh };

test('runs lines, writes output with \\n, and reports exit', async () => {
  const t = createTestShell({ commands });
  assert.equal(await t.run('echo hello; echo $((6*7))'), 'hello\n42\n');
  assert.deepEqual(await t.runWithOutcome('exit 3'), { output: '', outcome: 'exit' });
});

test('unknown commands answer like ash and emit command.unknown', async () => {
  const t = createTestShell({ commands });
  assert.equal(await t.run('foo bar; echo $?'), '-sh: foo: not found\n127\n');
  assert.deepEqual(t.recorder.ofType('command.unknown'), [{ command: 'foo', line: 'foo bar; echo $?' }]);
  assert.equal(await t.run('./nothing'), '-sh: ./nothing: not found\n');
});

test('cd errors and prompt escapes', async () => {
  const t = createTestShell({ commands });
  assert.equal(t.session.prompt(), 'root@cam:~# ');
  assert.equal(await t.run('cd /nope'), "-sh: cd: can't cd to /nope: No such file or directory\n");
  await t.run('cd /tmp');
  assert.equal(t.session.prompt(), 'root@cam:/tmp# ');
  const user = createTestShell({ commands, username: 'admin' });
  assert.equal(user.session.prompt(), 'admin@cam:~$ ');
});

test('applets resolve through PATH to links to /bin/busybox; missing applets fall back', async () => {
  const seen: string[][] = [];
  const ls: Command = (ctx) => {
    seen.push([...ctx.argv]);
    ctx.stdout.write('listing\n');
    return 0;
  };
  const fallback: Command = (ctx) => {
    ctx.stderr.write(`${ctx.argv[0]!}: fallback\n`);
    return 1;
  };
  const t = createTestShell({ commands: { ...commands, ls } });
  assert.equal(await t.run('ls -l; /bin/ls; echo $?'), 'listing\nlisting\n0\n');
  assert.deepEqual(seen, [['ls', '-l'], ['/bin/ls']]);
  assert.equal(await t.run('sh -c "echo sub; exit 4"; echo $?'), 'sub\n4\n');
  const withFallback = createTestShell({ commands: { __applet_fallback__: fallback }, tree: testTree() });
  assert.equal(await withFallback.run('ls'), 'ls: fallback\n');
  const none = createTestShell({ commands: {} });
  assert.equal(await none.run('ls'), '');
  assert.equal(none.recorder.ofType('command.unknown').length, 0);
});

test('a dropped ELF is an exec attempt: captured, recorded, silent; no x bit is Permission denied', async () => {
  const t = createTestShell({ commands });
  await t.run("cd /tmp; printf '\\x7fELF\\x01\\x01' > m");
  assert.equal(await t.run('./m x86; echo $?'), '-sh: ./m: Permission denied\n126\n');
  assert.equal(await t.run('chmod 777 m; ./m arm7 ; echo $?'), '0\n');
  const exec = t.recorder.ofType('exec.attempt');
  assert.equal(exec.length, 1);
  assert.equal(exec[0]!.path, '/tmp/m');
  assert.deepEqual(exec[0]!.argv, ['./m', 'arm7']);
  assert.equal(exec[0]!.size, 6);
  assert.ok(t.recorder.captured.some((c) => c.reason === 'exec' && c.path === '/tmp/m'));
});

test('scripts (#! or text) run through the interpreter with their own $0 and arguments', async () => {
  const t = createTestShell({ commands });
  await t.run("cd /tmp; printf '#!/bin/sh\\necho script $0 $1\\nexit 5\\n' > s; chmod +x s");
  assert.equal(await t.run('./s arg; echo $?'), 'script ./s arg\n5\n');
});

test('dirty files are captured before overwrite and delete, and at session end', async () => {
  const t = createTestShell({ commands });
  await t.run('echo one > /tmp/a; echo two > /tmp/a; echo keep > /tmp/b; rm /tmp/b; echo end > /tmp/c');
  await t.session.close();
  const reasons = t.recorder.captured.map((c) => [c.path, c.reason, Buffer.from(c.bytes).toString()]);
  assert.deepEqual(reasons, [
    ['/tmp/a', 'overwrite', 'one\n'],
    ['/tmp/b', 'delete', 'keep\n'],
    ['/tmp/a', 'session-end', 'two\n'],
    ['/tmp/c', 'session-end', 'end\n'],
  ]);
});

test('unfinished input continues on the next line with a PS2 prompt', async () => {
  const t = createTestShell({ commands });
  assert.equal(await t.run('for i in 1 2; do'), '');
  assert.equal(t.session.prompt(), '> ');
  assert.equal(await t.run('echo $i; done'), '1\n2\n');
  assert.equal(t.session.prompt(), 'root@cam:~# ');
  assert.equal(await t.run('fi'), '-sh: syntax error: unexpected "fi"\n');
});

test('limits stop the line, emit session.limit and never hang', async () => {
  const t = createTestShell({ commands, limits: { maxLoopIterations: 50, maxOutputBytes: 100, maxRecursion: 4 } });
  assert.equal(await t.run('while true; do :; done; echo after'), '');
  assert.equal((await t.run('for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do echo ooooooooo; done')).length, 100);
  await t.run('f() { f; }; f');
  await t.run('g() { g; g; }; g');
  await t.run('sh -c "sh -c \\"sh -c \\\\\\"sh -c \\\\\\\\\\\\\\"sh -c :\\\\\\\\\\\\\\"\\\\\\"\\""');
  const limits = t.recorder.ofType('session.limit').map((e) => e.limit);
  assert.deepEqual(limits.slice(0, 3), ['loop-iterations', 'output-bytes', 'recursion']);
  assert.ok(limits.length >= 4);
  assert.equal(await t.run('echo still alive'), 'still alive\n');
});

test('read loops over a redirected file and pipes', async () => {
  const t = createTestShell({ commands });
  assert.equal(await t.run('while read i; do echo "[$i]"; done < /etc/hosts'), '[127.0.0.1 localhost]\n');
  assert.equal(await t.run('printf "a\\nb\\n" | while read x; do echo got $x; done'), 'got a\ngot b\n');
  assert.equal(await t.run('echo x | read v; echo "[$v]"'), '[]\n');
});

test('globbing matches files in the VFS; no match keeps the word', async () => {
  const t = createTestShell({ commands });
  assert.equal(await t.run('echo /etc/*'), '/etc/hosts /etc/passwd\n');
  assert.equal(await t.run('echo /etc/*.none'), '/etc/*.none\n');
  assert.equal(await t.run('echo "/etc/*"'), '/etc/*\n');
});

test('type, command -v, export, unset and friends', async () => {
  const t = createTestShell({ commands });
  assert.equal(await t.run('type cd echo ls nope'), 'cd is a shell builtin\necho is a shell builtin\nls is /bin/ls\nnope: not found\n');
  assert.equal(await t.run('command -v ls'), '/bin/ls\n');
  assert.equal(await t.run("export Z='a b'; export -p | cat > /dev/null; unset Z; echo ${Z-gone}"), 'gone\n');
  assert.equal(await t.run('umask; ulimit'), '0022\nunlimited\n');
  assert.equal(await t.run('A=1 sh -c \'echo $A\'; echo "[$A]"'), '1\n[]\n');
});

test('background jobs run to completion and set $!', async () => {
  const t = createTestShell({ commands });
  assert.match(await t.run('echo bg & echo $? $!'), /^bg\n0 \d+\n$/);
});

test('heredocs typed line by line wait for the delimiter with a > prompt', async () => {
  const t = createTestShell({ commands });
  assert.equal(await t.run('x=1; cat <<EOF'), '');
  assert.equal(t.session.prompt(), '> ');
  assert.equal(await t.run('a $x'), '');
  assert.equal(await t.run("cat <<'Q'"), '');
  assert.equal(await t.run('EOF'), 'a 1\ncat <<\'Q\'\n');
  assert.equal(t.session.prompt(), 'root@cam:~# ');
  assert.equal(await t.run("cat <<'Q'"), '');
  assert.equal(await t.run('$x'), '');
  assert.equal(await t.run('Q'), '$x\n');
});

test('read at the prompt takes the next typed line', async () => {
  const t = createTestShell({ commands });
  assert.equal(await t.run('read -p "Name: " a b'), '');
  assert.equal(t.session.prompt(), 'Name: ');
  assert.equal(await t.run('  one two three '), '');
  assert.equal(t.session.prompt(), 'root@cam:~# ');
  assert.equal(await t.run('echo "[$a][$b]"'), '[one][two three]\n');
  assert.deepEqual(t.recorder.ofType('command.unknown'), []);
});

test('aliases expand on later interactive lines, not on the defining line', async () => {
  const t = createTestShell({ commands });
  assert.equal(await t.run("alias ll='echo L:'; ll a"), '-sh: ll: not found\n');
  assert.equal(await t.run('ll b; echo x | ll'), 'L: b\nL:\n');
  assert.equal(await t.run("alias echo='echo E'; echo z"), 'z\n');
  assert.equal(await t.run('echo z'), 'E z\n');
});

test('exit runs the EXIT trap on the terminal; exec redirections persist across lines', async () => {
  const t = createTestShell({ commands });
  assert.equal(await t.run('exec 2>/dev/null; nosuch'), '');
  assert.equal(await t.run('nosuch2; echo $?'), '127\n');
  assert.equal(await t.run("trap 'echo bye $?' EXIT"), '');
  assert.deepEqual(await t.runWithOutcome('exit 4'), { output: 'bye 4\n', outcome: 'exit' });
});

test('ls prints columns on the terminal and one name per line into a pipe or $(...)', async () => {
  const t = createTestShell({ commands: { ...commands, ls } });
  assert.equal(await t.run('ls /bin'), 'busybox  cat      chmod    ls       rm       sh\n');
  assert.equal(await t.run('ls /bin | cat'), 'busybox\ncat\nchmod\nls\nrm\nsh\n');
  assert.equal(await t.run('echo $(ls /bin)'), 'busybox cat chmod ls rm sh\n');
});

test("a persona's fixed command output is printed for that exact command line", async () => {
  const t = createTestShell({ commands, commandOutputs: { lsmod: 'Module Size Used by\nhi_rtc 4312 0\n' }, tree: testTree({ '/sbin/lsmod': { kind: 'symlink', target: '/bin/busybox', mtime: 0 } }) });
  assert.equal(await t.run('lsmod; /sbin/lsmod'), 'Module Size Used by\nhi_rtc 4312 0\nModule Size Used by\nhi_rtc 4312 0\n');
  assert.equal(await t.run('lsmod -x'), '');
});

test('IFS is set as ash sets it (not exported), so ${IFS} separates words as exploits expect', async () => {
  const t = createTestShell({ commands });
  // The same bytes BusyBox ash prints for this line.
  assert.equal(await t.run('echo${IFS}hi;echo$IFS"there";cd${IFS}/tmp;echo "[$IFS]"'), 'hi\nthere\n[ \t\n]\n');
});
