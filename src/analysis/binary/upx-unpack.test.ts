// unpackUpx with no upx installed (Debian 12 has none) and with fake `upx` scripts: failures, timeout,
// size caps, success, magic restoration, fixed temp names, bare environment and temp dir clean-up.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildUpxElf } from '../../testing/upx-sample.ts';
import { findUpx, unpackUpx } from './upx-unpack.ts';

const root = mkdtempSync(join(tmpdir(), 'hachi-upx-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** A directory holding an executable `name` script with `body`; plus a private tmpRoot. */
function fake(body: string, name = 'upx'): { bin: string; dir: string; tmpRoot: string; log: string } {
  const dir = join(root, `case-${counter++}`);
  const tmpRoot = join(dir, 'tmp');
  mkdirSync(tmpRoot, { recursive: true });
  const log = join(dir, 'log.txt');
  const bin = join(dir, name);
  writeFileSync(bin, `#!/bin/sh\n${body.replaceAll('$LOG', log)}\n`);
  chmodSync(bin, 0o755);
  return { bin, dir, tmpRoot, log };
}

const packed = buildUpxElf({ originalSize: 4000 });

test('no upx or upx-ucl on the search path', async () => {
  const empty = mkdtempSync(join(root, 'empty-'));
  writeFileSync(join(empty, 'upx'), 'not executable');
  const result = await unpackUpx(packed, { searchPath: `${empty}:relative/dir` });
  assert.deepEqual(result, { ok: false, reason: 'no-upx', detail: 'neither upx nor upx-ucl is on PATH' });
  assert.equal(await findUpx(''), null);
});

test('upx-ucl is found when upx is absent', async () => {
  const f = fake('exit 0', 'upx-ucl');
  assert.equal(await findUpx(`/nonexistent:${f.dir}`), f.bin);
});

test('success: fixed file names, bare environment, output read back, temp dir removed', async () => {
  const f = fake('echo "$@" > $LOG; stat -c "mode %a" "$(dirname "$5")" >> $LOG; env >> $LOG; cp "$5" "$4"');
  process.env['UPX'] = '--force-execve';
  const result = await unpackUpx(packed, { upxPath: f.bin, tmpRoot: f.tmpRoot });
  delete process.env['UPX'];
  assert.equal(result.ok, true);
  assert.ok(result.ok && Buffer.from(result.bytes).equals(Buffer.from(packed)));
  assert.ok(result.ok && result.restoredMagic === false);
  const log = readFileSync(f.log, 'utf8');
  assert.match(log, /^-d -q -o \/\S+\/hachi-upx-\w+\/unpacked\.bin \/\S+\/hachi-upx-\w+\/sample\.bin\n/);
  assert.match(log, /^mode 700$/m);
  assert.doesNotMatch(log, /^UPX=/m);
  assert.deepEqual(readdirSync(f.tmpRoot), []);
});

test('an altered magic is restored on the temp copy only', async () => {
  const altered = buildUpxElf({ magic: 'YTS\x99', version: null });
  const before = altered.slice();
  const f = fake('cp "$5" "$4"');
  const result = await unpackUpx(altered, { upxPath: f.bin, tmpRoot: f.tmpRoot });
  assert.ok(result.ok);
  assert.equal(result.restoredMagic, true);
  assert.equal(Buffer.from(result.bytes).indexOf('YTS\x99', 0, 'latin1'), -1);
  assert.equal(Buffer.from(result.bytes).toString('latin1').split('UPX!').length - 1, 3);
  assert.deepEqual(altered, before);
  const kept = await unpackUpx(altered, { upxPath: f.bin, tmpRoot: f.tmpRoot, restoreMagic: false });
  assert.ok(kept.ok && !kept.restoredMagic);
});

test('upx failing is reported with its message', async () => {
  const f = fake('echo "upx: sample.bin: NotPackedException: not packed by UPX" >&2; exit 2');
  const result = await unpackUpx(packed, { upxPath: f.bin, tmpRoot: f.tmpRoot });
  assert.equal(result.ok, false);
  assert.ok(!result.ok && result.reason === 'failed');
  assert.ok(!result.ok && result.detail.includes('NotPackedException'));
  assert.deepEqual(readdirSync(f.tmpRoot), []);
  const silent = await unpackUpx(packed, { upxPath: fake('exit 0').bin, tmpRoot: f.tmpRoot });
  assert.ok(!silent.ok && silent.reason === 'failed' && silent.detail.includes('no output'));
});

test('a hanging upx is killed at the timeout', async () => {
  const f = fake('exec sleep 30');
  const started = Date.now();
  const result = await unpackUpx(packed, { upxPath: f.bin, tmpRoot: f.tmpRoot, timeoutMs: 300 });
  assert.ok(!result.ok && result.reason === 'timeout');
  assert.ok(Date.now() - started < 5000);
  assert.deepEqual(readdirSync(f.tmpRoot), []);
});

test('output larger than the cap, or a declared size past it, is refused', async () => {
  const f = fake('head -c 5000 /dev/zero > "$4"');
  const big = await unpackUpx(packed, { upxPath: f.bin, tmpRoot: f.tmpRoot, maxOutputBytes: 4096 });
  assert.ok(!big.ok && big.reason === 'too-large' && big.detail.includes('5000'));
  const g = fake('touch $LOG');
  const declared = await unpackUpx(buildUpxElf({ originalSize: 10_000_000 }), { upxPath: g.bin, tmpRoot: g.tmpRoot, maxOutputBytes: 1_000_000 });
  assert.ok(!declared.ok && declared.reason === 'too-large' && declared.detail.includes('declared'));
  assert.throws(() => readFileSync(g.log), /ENOENT/);
  const chatty = await unpackUpx(packed, { upxPath: fake('head -c 200000 /dev/zero').bin, tmpRoot: f.tmpRoot });
  assert.ok(!chatty.ok && chatty.reason === 'failed' && chatty.detail.includes('console output'));
});

test('found on PATH, upx runs under prlimit so its output file cannot outgrow the cap', { skip: !hasPrlimit() && 'prlimit not installed' }, async () => {
  const f = fake('head -c 100000 /dev/zero > "$4"; wc -c < "$4" > $LOG');
  const result = await unpackUpx(packed, { searchPath: `${f.dir}:/usr/bin:/bin`, tmpRoot: f.tmpRoot, maxOutputBytes: 4096 });
  assert.equal(result.ok, false);
  assert.equal(readFileSync(f.log, 'utf8').trim(), '4097');
  assert.deepEqual(readdirSync(f.tmpRoot), []);
});

test('a missing tool binary is an error, not a crash', async () => {
  const result = await unpackUpx(packed, { upxPath: join(root, 'no-such-upx'), tmpRoot: root });
  assert.ok(!result.ok && result.reason === 'error' && result.detail.includes('ENOENT'));
});

function hasPrlimit(): boolean {
  return ['/usr/bin/prlimit', '/bin/prlimit'].some((p) => {
    try {
      readFileSync(p);
      return true;
    } catch {
      return false;
    }
  });
}
