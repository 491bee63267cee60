// busybox (banner, applet dispatch, `applet not found`), sh/ash (-c, script files, piped stdin)
// and the fallback for applets the persona lists but hachi does not emulate.
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import assert from 'node:assert/strict';
import { createHarness, runCommand } from '../../testing/command-harness.ts';
import { appletColumns } from './busybox.ts';
import { commands } from './index.ts';

test('busybox probe with an unknown applet answers exactly what bots check', async () => {
  const r = await runCommand(['/bin/busybox', 'ECCHI']);
  assert.equal(r.stderr, 'ECCHI: applet not found\n');
  assert.equal(r.stdout, '');
  assert.equal(r.status, 127);
});

test('busybox APPLET dispatches to the applet when the persona has it', async () => {
  const r = await runCommand(['busybox', 'echo', '-e', '\\x6b\\x61\\x6d\\x69/tmp']);
  assert.equal(r.stdout, 'kami/tmp\n');
  // uname is emulated but this persona's busybox does not list it.
  assert.equal((await runCommand(['busybox', 'uname'])).stderr, 'uname: applet not found\n');
});

test('busybox alone prints the build line, usage and the wrapped applet list', async () => {
  const r = await runCommand(['busybox']);
  assert.equal(r.status, 0);
  assert.ok(r.stdout.startsWith('BusyBox v1.20.2 (2019-03-05 10:12:11 CST) multi-call binary.\nCopyright (C) 1998-2011'));
  assert.ok(r.stdout.endsWith('Currently defined functions:\n\t[, ash, busybox, cat, chmod, cp, dd, echo, ls, mkdir, ps, rm, sh,\n\ttelnetd, tftp, wget\n'));
});

test('appletColumns wraps exactly like the real busybox', { skip: !existsSync('/usr/bin/busybox') }, () => {
  const names = execFileSync('/usr/bin/busybox', ['--list']).toString().trim().split('\n');
  const real = execFileSync('/usr/bin/busybox').toString().split('Currently defined functions:\n')[1];
  assert.equal(appletColumns(names), real);
});

test('sh -c runs the string in this shell; bare sh at the prompt does nothing', async () => {
  const h = createHarness();
  assert.equal((await h.run(['sh', '-c', 'echo hi; id'])).status, 0);
  assert.deepEqual(h.scripts, [{ source: 'echo hi; id', argv: ['sh'] }]);
  assert.equal((await h.run(['sh'])).stdout, '');
  assert.equal(h.scripts.length, 1);
  await h.run(['sh'], { stdin: 'echo piped\n', stdinIsTerminal: false });
  assert.equal(h.scripts[1]?.source, 'echo piped\n');
  assert.equal((await h.run(['sh', '-c'])).stderr, 'sh: -c requires an argument\n');
});

test('sh FILE runs the file and records an execution; missing files and ELF files fail', async () => {
  const h = createHarness({ cwd: '/tmp' });
  h.fs.writeFile('/tmp/bins.sh', new TextEncoder().encode('wget http://x/y\n'));
  assert.equal((await h.run(['sh', 'bins.sh'])).status, 0);
  assert.equal(h.scripts[0]?.source, 'wget http://x/y\n');
  const exec = h.emitter.ofType('exec.attempt')[0];
  assert.equal(exec?.path, '/tmp/bins.sh');
  assert.equal(exec?.size, 16);
  assert.equal(h.emitter.captured[0]?.reason, 'exec');
  const missing = await h.run(['sh', 'nope']);
  assert.equal(missing.stderr, "sh: can't open 'nope': No such file or directory\n");
  assert.equal(missing.status, 2);
  const elf = await h.run(['sh', '/bin/busybox']);
  assert.equal(elf.status, 2);
  assert.match(elf.stderr, /syntax error/);
});

test('the fallback applet is silent, or shows a usage for --help', async () => {
  const fallback = commands.__applet_fallback__;
  const h = createHarness();
  assert.equal((await h.run(['telnetd'])).stdout, '');
  assert.equal((await h.run(['telnetd', '--help'])).stderr, 'BusyBox v1.20.2 (2019-03-05 10:12:11 CST) multi-call binary.\n\nUsage: telnetd [OPTIONS] [ARGS]...\n');
  assert.equal(typeof fallback, 'function');
});

test('router CLI words are not commands on a BusyBox device', () => {
  for (const word of ['enable', 'system', 'shell', 'linuxshell']) assert.equal(Object.hasOwn(commands, word), false);
});
