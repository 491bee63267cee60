// The reset hook with real commands: exit status and first output line, the timeout kill (of the
// whole process group), capped output, the device in the environment, argv never seen by a shell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runResetHook } from './reset-hook.ts';

const device = { name: 'cam-1', address: '192.0.2.10' };

test('runs the argv and reports the exit status and the first line of output', async () => {
  const result = await runResetHook({ argv: ['/bin/sh', '-c', 'echo; echo rebooted; echo second line; exit 3'], timeoutMs: 5000, device });
  assert.equal(result.exitCode, 3);
  assert.equal(result.detail, 'rebooted');
  assert.ok(result.durationMs >= 0 && result.durationMs < 5000);
});

test('stderr counts as output; a silent hook says so', async () => {
  assert.deepEqual(
    (({ exitCode, detail }) => ({ exitCode, detail }))(await runResetHook({ argv: ['/bin/sh', '-c', 'echo "outlet 3 off" >&2'], timeoutMs: 5000, device })),
    { exitCode: 0, detail: 'outlet 3 off' },
  );
  const silent = await runResetHook({ argv: ['/bin/true'], timeoutMs: 5000, device });
  assert.deepEqual([silent.exitCode, silent.detail], [0, 'exit 0, no output']);
});

test('a hook past its timeout is killed with its children: exitCode null', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-reset-'));
  try {
    const marker = join(dir, 'survived');
    // The background sleeper holds the output pipe and would touch the marker if it outlived the kill.
    const started = performance.now();
    const result = await runResetHook({ argv: ['/bin/sh', '-c', `echo flashing; (sleep 1; touch ${marker}) & sleep 30`], timeoutMs: 200, device });
    const took = performance.now() - started;
    assert.equal(result.exitCode, null);
    assert.equal(result.detail, 'timeout after 200 ms, killed: flashing');
    assert.ok(took < 2000, `returned after ${took} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    assert.equal(existsSync(marker), false, 'the hook’s child was killed with it');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a hook that ignores SIGTERM is killed after the grace time', async () => {
  const result = await runResetHook({ argv: ['/bin/sh', '-c', "trap '' TERM; echo stubborn; while :; do sleep 0.05; done"], timeoutMs: 100, killGraceMs: 150, device });
  assert.equal(result.exitCode, null);
  assert.match(result.detail, /^timeout after 100 ms, killed: stubborn$/);
  assert.ok(result.durationMs < 2000);
});

test('output is capped: a hook that floods is read to its end, and detail is at most 200 characters', async () => {
  const result = await runResetHook({ argv: ['/bin/sh', '-c', 'head -c 3000000 /dev/zero | tr "\\0" x; echo; exit 0'], timeoutMs: 10_000, maxOutputBytes: 1024, device });
  assert.equal(result.exitCode, 0, 'not killed for printing a lot');
  assert.equal(Array.from(result.detail).length, 200);
  assert.ok(result.detail.endsWith('…'));
  const controls = await runResetHook({ argv: ['/bin/sh', '-c', 'printf "\\033[1mbold\\tdone\\r\\n"'], timeoutMs: 5000, device });
  assert.equal(controls.detail, '[1mbold done');
});

test('the hook sees HACHI_DEVICE and HACHI_DEVICE_ADDRESS, and its argv is not shell-expanded', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-reset-'));
  try {
    const out = join(dir, 'env');
    const result = await runResetHook({
      argv: ['/bin/sh', '-c', 'printf "%s|%s|%s|%s" "$HACHI_DEVICE" "$HACHI_DEVICE_ADDRESS" "$1" "$KEEP" > "$2"', 'hook', '$(touch /tmp/x); `id`', out],
      timeoutMs: 5000,
      env: { PATH: '/usr/bin:/bin', KEEP: 'kept' },
      device,
    });
    assert.equal(result.exitCode, 0);
    assert.equal(await readFile(out, 'utf8'), 'cam-1|192.0.2.10|$(touch /tmp/x); `id`|kept');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a missing program or an empty argv is a failed reset, not a crash', async () => {
  const missing = await runResetHook({ argv: ['/nonexistent/pdu-cycle', 'outlet3'], timeoutMs: 5000, device });
  assert.deepEqual([missing.exitCode, missing.detail], [null, 'could not run /nonexistent/pdu-cycle: ENOENT']);
  const empty = await runResetHook({ argv: [], timeoutMs: 5000, device });
  assert.deepEqual([empty.exitCode, empty.detail], [null, 'no reset command configured']);
  const nul = await runResetHook({ argv: ['/bin/echo', 'a\0b'], timeoutMs: 5000, device });
  assert.equal(nul.exitCode, null);
  assert.match(nul.detail, /^could not run \/bin\/echo: /);
});
