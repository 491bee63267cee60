// Sample export: an encrypted zip that unzip opens with the password "infected" (one entry named by the
// hash), raw bytes only with the acknowledgement, never to a terminal, never over an existing file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HachiError } from '../core/errors.ts';
import { filler } from '../testing/fake-samples.ts';
import { exportSample, type ExportOutput, type ExportRequest } from './sample-export.ts';

const bytes = filler(3000, 42);
const sha256 = createHash('sha256').update(bytes).digest('hex');
const unzip = existsSync('/usr/bin/unzip');

function capture(isTTY: boolean): ExportOutput & { chunks: Uint8Array[] } {
  const chunks: Uint8Array[] = [];
  return { isTTY, chunks, write: (chunk, done) => (chunks.push(chunk), done()) };
}

async function workdir(t: { after: (fn: () => unknown) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'export-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const request = (cwd: string, extra: Partial<ExportRequest> = {}): ExportRequest => ({
  sha256, bytes, firstSeen: Date.UTC(2024, 4, 1), raw: false, acknowledged: false, cwd, stdout: capture(false), ...extra,
});

test('the default export is <sha256>.zip that unzip opens with the password infected', { skip: !unzip && 'unzip not installed' }, async (t) => {
  const dir = await workdir(t);
  const result = await exportSample(request(dir));
  assert.deepEqual(result, { target: join(dir, `${sha256}.zip`), bytes: (await stat(result.target)).size, format: 'zip' });
  assert.equal((await stat(result.target)).mode & 0o777, 0o600);
  const listing = execFileSync('/usr/bin/unzip', ['-Z1', result.target], { encoding: 'utf8' });
  assert.equal(listing.trim(), sha256);
  const out = join(dir, 'x');
  execFileSync('/usr/bin/unzip', ['-q', '-P', 'infected', result.target, '-d', out]);
  assert.deepEqual(new Uint8Array(await readFile(join(out, sha256))), bytes);
  assert.throws(() => execFileSync('/usr/bin/unzip', ['-q', '-o', '-P', 'wrong', result.target, '-d', join(dir, 'y')], { stdio: 'ignore' }), 'encrypted: a wrong password fails');
});

test('an existing file is kept unless --force; a directory as --out gets the hash as file name', async (t) => {
  const dir = await workdir(t);
  await writeFile(join(dir, 'taken.zip'), 'keep me');
  await assert.rejects(exportSample(request(dir, { out: 'taken.zip' })), (e: unknown) => e instanceof HachiError && /exists; --force/.test(e.message));
  assert.equal(await readFile(join(dir, 'taken.zip'), 'utf8'), 'keep me');
  await exportSample(request(dir, { out: 'taken.zip', force: true }));
  assert.notEqual(await readFile(join(dir, 'taken.zip'), 'utf8'), 'keep me');
  await mkdir(join(dir, 'out'));
  assert.equal((await exportSample(request(dir, { out: 'out' }))).target, join(dir, 'out', `${sha256}.zip`));
});

test('raw bytes need the acknowledgement flag and are never written to a terminal', async (t) => {
  const dir = await workdir(t);
  await assert.rejects(exportSample(request(dir, { raw: true })), (e: unknown) => e instanceof HachiError && e.code === 'HACHI_ERR_USAGE' && /i-understand-this-is-live-malware/.test(e.message));
  const tty = capture(true);
  await assert.rejects(exportSample(request(dir, { raw: true, acknowledged: true, stdout: tty })), /refusing to write raw malware to a terminal/);
  await assert.rejects(exportSample(request(dir, { out: '-', stdout: tty })), /to a terminal/);
  assert.equal(tty.chunks.length, 0);
  const pipe = capture(false);
  assert.deepEqual(await exportSample(request(dir, { raw: true, acknowledged: true, stdout: pipe })), { target: '-', bytes: bytes.length, format: 'raw' });
  assert.deepEqual(pipe.chunks, [bytes]);
  const file = await exportSample(request(dir, { raw: true, acknowledged: true, out: dir }));
  assert.equal(file.target, join(dir, `${sha256}.bin`));
  assert.equal((await stat(file.target)).mode & 0o111, 0, 'never executable');
});
