// Differential test: system-independent command lines run through real BusyBox (`busybox sh -c`
// in a throwaway directory) and through hachi's interpreter in `sh -c` mode; stdout, stderr and
// exit status must be equal. Skipped with a message when /usr/bin/busybox is missing.
import { FakeDownloads } from '../../testing/fake-downloads.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from '../command.ts';
import { commands } from '../commands/index.ts';
import { createCowVfs } from '../vfs/cow-vfs.ts';
import { RecordingEmitter } from '../../testing/recording-emitter.ts';
import { testLimits, testPersona } from '../../testing/shell-harness.ts';
import { Interpreter } from './execute.ts';
import { createSessionEnv, createShell } from './runtime.ts';
import { BufferOutput, terminalInput, type Fd } from './streams.ts';

const BUSYBOX = '/usr/bin/busybox';

/** `cat` for heredoc cases: BusyBox finds its applet without PATH, hachi (PATH=/nonexistent) does not. */
const CAT = 'c() { while IFS= read -r l; do echo "$l"; done; [ -n "$l" ] && printf %s "$l"; }; ';

const cases: readonly string[] = [
  // echo and printf
  'echo hello world',
  'echo -n abc; echo',
  "echo -e 'a\\tb\\nc'",
  "echo -e '\\x41\\x42\\x7e'",
  "echo -e '\\0101\\0102'",
  "echo -e 'abc\\cdef'; echo x",
  "echo -ne 'a\\nb'",
  "echo -e '\\\\'",
  `echo 'single $HOME' "double"`,
  "printf '%s\\n' a b c",
  "printf '%d-%x-%o\\n' 42 255 8",
  "printf '\\x41\\n'",
  "printf '%5s|%-5s|\\n' ab cd",
  "printf 'no newline'",
  "printf '%%\\n'",
  // quoting and parameters
  'echo "a  b"   c',
  'echo a\\ b',
  `echo 'a"b' "c'd"`,
  'echo "\\$x \\`y\\` \\\\"',
  "x='a  b'; echo $x \"$x\"",
  'echo "${x:-def}" ${x-unset}',
  'x=hello; echo ${#x} ${x#h} ${x%o} ${x##*l} ${x%%l*}',
  `echo '' "" x`,
  'echo $# "$@"',
  // exit status
  'true; echo $?',
  'false; echo $?',
  'nosuchcmd; echo $?',
  '! true; echo $?',
  'false || echo ok',
  'true && echo yes && false || echo no',
  '(exit 7); echo $?',
  'exit 5',
  'echo a; exit 3; echo b',
  'exit 256',
  // arithmetic
  'echo $((1+2*3)) $((10/3)) $((10%3)) $((-7/2)) $((-7%3))',
  'echo $((2**10)) $((1<<4)) $((0x1f)) $((010))',
  'echo $((5>3)) $((5==5)) $((!0)) $((~0))',
  'a=3; echo $((a+=2)) $a $((a++)) $a $((--a))',
  'echo $((1/0)); echo after',
  'echo $((1+))',
  'echo $((9223372036854775807+1)) $((1<<63))',
  'echo $((2**-1))',
  'echo $(( (1+2) * 3 ))',
  'x=y; y=7; echo $((x*2))',
  'echo $((1?2:3)) $((0?2:3))',
  'echo $((08))',
  'x=abc; echo $((x))',
  // control flow
  'if true; then echo a; else echo b; fi',
  'if false; then echo a; elif true; then echo c; else echo b; fi',
  'for i in 1 2 3; do echo $i; done',
  'for i in a b c; do echo $i; break; done; echo $?',
  'i=0; while true; do i=$((i+1)); case $i in 3) break;; esac; echo $i; done',
  'until false; do echo once; break; done',
  'for i in 1 2; do for j in a b; do echo $i$j; continue 2; done; done',
  'case hello in h*) echo H;; *) echo X;; esac',
  'f() { echo "f:$1"; return 3; }; f x; echo $?',
  '{ echo a; echo b; } | { read x; read y; echo "$y$x"; }',
  'x=1; (x=2; echo $x); echo $x',
  'echo $(echo a $(echo b)) `echo c`',
  'set -- a b c; echo $# $2; shift; echo $@',
  'echo a | while read l; do echo got $l; done',
  'break; echo $?',
  // syntax errors
  'fi',
  'echo "abc',
  "echo 'abc",
  'if true; then echo',
  'for',
  'for x in; do',
  'echo )',
  'a &&',
  '|',
  '{ }',
  'echo $((',
  'done',
  'echo `echo',
  'echo ${a',
  'echo a && || b',
  'echo a; then',
  // read loops over a file written first, and redirections
  "printf 'a b\\nc d\\n' > f; while read x y; do echo \"[$x][$y]\"; done < f",
  "printf 'l1\\nl2' > f; while read l; do echo $l; done < f; echo \"last=$l\"",
  "printf 'x\\\\\\\\y\\n' > f; read a < f; echo \"$a\"; read -r b < f; echo \"$b\"",
  'echo hi > f; echo there >> f; while read l; do echo "$l"; done < f',
  'echo err 1>&2',
  'echo out 2>/dev/null; nosuch 2>/dev/null; echo $?',
  'cd /nonexistent_dir_xyz; echo $?',
  'exit abc',
  'echo ${x?missing}; echo not',
  'unset 1a',
  "eval 'echo a; echo b'",
  'x=5; eval "echo \\$x"',
  'local x',
  'cat < nonexistent_file',
  // parameter edits: replace, substring, long values
  'x=hello; echo ${x/l/L} ${x//l/L} ${x/l} ${x//l} "[${x/l*/L}]" "[${x/x/y}]"',
  'x=hello; echo ${x:1} ${x:1:2} ${x: -2} ${x:(-3):2} ${x:1:-1} "[${x:10}]" ${x:-2}',
  'x=hello; echo "[${x: -9}]" ${x:2:-9} ${x:a} "[${x:1:b}]"; x=abc; echo ${x: -1:5}',
  'x=a.b.c; echo ${x/./\\*} "${x/./*}" ${x//[.]/-}; y=/a/b; echo ${y//\\//:}',
  'x=hello; p=l; echo ${x//$p/X} ${x//"l"/X}; y="${x/l/\\}}"; echo $y; echo ${u/a/b}x ${u:1}y',
  'x=aaa; echo ${x//a/${x}}; x="a b c"; echo ${x// /_}',
  'x=$(printf "%9000s" a); y=${x#* }; echo ${#x} ${#y}; z=${x%%a}; echo ${#z}',
  // set -u, set -e, trap EXIT
  'set -u; echo $nope; echo after',
  'set -u; echo ${nope}x',
  'set -u; echo ${nope-d} ${#nope}',
  'set -u; echo $1',
  'set -e; false; echo no',
  'set -e; false || true; echo yes; if false; then :; fi; echo y2; ! true; echo y3; false && true; echo y4',
  "trap 'echo bye' EXIT; echo hi",
  "trap 'echo bye $?' EXIT; exit 3",
  "trap 'echo bye' 0; false",
  "set -e; trap 'echo T' EXIT; false; echo no",
  "trap 'echo t' 0; trap",
  // exec, getopts, hash, jobs
  'exec echo hi; echo no',
  'exec >/dev/null; echo hidden; echo vis >&2',
  'exec 2>&1; nosuch',
  'exec; echo ok',
  'exec nosuchcmd; echo no',
  'f() { exec 2>/dev/null; }; f; nosuch; echo $?',
  '(exec >/dev/null; echo in); echo out',
  'while getopts ab:c o; do echo "$o ${OPTARG-u} $OPTIND"; done',
  'set -- -a -b x -c y; while getopts ab:c o; do echo "$o ${OPTARG-u} $OPTIND"; done; echo $OPTIND',
  'set -- -z; getopts ab o; echo "$? $o ${OPTARG-u}"',
  'set -- -b; getopts ab: o; echo "$? $o ${OPTARG-u}"',
  'set -- -b; getopts :ab: o; echo "$? $o ${OPTARG-u}"',
  'set -- -z; getopts :ab o; echo "$? $o ${OPTARG-u}"',
  'set -- -ab -bfoo x; while getopts ab: o; do echo "$o ${OPTARG-u} $OPTIND"; done; shift $((OPTIND-1)); echo "$@"',
  'set -- -a -- -b; while getopts ab o; do echo $o; done; echo $OPTIND',
  'getopts a o -a -x; echo $o; getopts a o -a -x; echo $o',
  'getopts; echo $?',
  'hash; echo $?; hash ls; echo $?; hash -r; echo $?',
  'jobs; echo $?',
  // heredocs
  `${CAT}y=v; c <<EOF\na $y $((1+1))\nEOF\nc <<"E"\n$x\nE\nc <<-X\n\ttab\n\tX\necho end`,
  `${CAT}x=1; c <<'EOF'\n$x \`echo no\`\nEOF`,
  `${CAT}c <<A; c <<B\na\nA\nb\nB`,
  'while read l; do echo "[$l]"; done <<EOF\none\ntwo\nEOF',
  `${CAT}c <<EOF\nno end\nmore`,
  'x=hello; echo "${x##*l}" "${x%"l"*}" "${x/l*/L}"',
  "alias ll='echo ll:'; ll x",
];

async function runHachi(line: string, commands: Readonly<Record<string, Command>>): Promise<{ stdout: string; stderr: string; status: number }> {
  const recorder = new RecordingEmitter();
  const persona = testPersona();
  const clock = { now: () => 1_700_000_000_000 };
  const fs = createCowVfs(persona.fs, { maxFileBytes: testLimits.maxFileBytes, maxSessionWriteBytes: testLimits.maxSessionWriteBytes, maxFiles: 100 }, clock);
  const env = createSessionEnv({ fs, persona, events: recorder, capture: recorder, downloads: new FakeDownloads(), clock, bootedAt: 0, limits: testLimits, commands, pid: 4242 });
  const vars = new Map([['PATH', '/nonexistent'], ['HOME', '/tmp']]);
  const state = { cwd: '/tmp', user: 'root', uid: 0, vars, exported: new Set(vars.keys()), lastStatus: 0, exitRequested: false };
  const stdout = new BufferOutput(1 << 20, env.budget);
  const stderr = new BufferOutput(1 << 20, env.budget);
  const fds = new Map<number, Fd>([
    [0, { kind: 'in', src: terminalInput() }],
    [1, { kind: 'out', out: stdout }],
    [2, { kind: 'out', out: stderr }],
  ]);
  const shell = createShell(env, state, 'sh', 'command');
  const status = await new Interpreter().runScript(shell, line, ['sh'], fds, 'command');
  const text = (out: BufferOutput): string => Buffer.from(out.bytes()).toString('latin1');
  return { stdout: text(stdout), stderr: text(stderr), status };
}

function runBusybox(line: string, dir: string): { stdout: string; stderr: string; status: number } {
  const result = spawnSync(BUSYBOX, ['sh', '-c', line], { cwd: dir, env: { PATH: '/nonexistent', HOME: dir }, timeout: 5000, encoding: 'latin1' });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status ?? -1 };
}

test('hachi answers like BusyBox ash for system-independent lines', async (t) => {
  if (!existsSync(BUSYBOX)) {
    t.skip(`${BUSYBOX} is not installed (apt-get install busybox): differential test skipped`);
    return;
  }
  assert.ok(cases.length >= 60);
  const failures: string[] = [];
  for (const line of cases) {
    const dir = mkdtempSync(join(tmpdir(), 'hachi-diff-'));
    try {
      const expected = runBusybox(line, dir);
      const actual = await runHachi(line, commands);
      // Only the $0 prefix may differ; both run as `sh -c`, so it is normalised for safety only.
      const norm = (s: string): string => s.replace(/^-sh: /gm, 'sh: ');
      if (norm(actual.stdout) !== expected.stdout || norm(actual.stderr) !== expected.stderr || actual.status !== expected.status) {
        failures.push(`${JSON.stringify(line)}\n  busybox: ${JSON.stringify(expected)}\n  hachi:   ${JSON.stringify(actual)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});
