// End-to-end: `hachi run` on a loopback port, attacked by a scripted bot running every scenario of
// ../shared/corpus/telnet-attacks.yaml (skipped, saying so, when the corpus is absent).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { attackCorpus } from './attack-corpus.ts';
import { startHachi, type RunningHachi } from './hachi-process.ts';
import { TelnetTestClient } from './telnet-client.ts';
import { CAMERA } from './personas.ts';


const corpus = attackCorpus;
const FETCH = '127.0.0.1:8000';

let hachi: RunningHachi;
before(async () => {
  hachi = await startHachi([{ name: 'camera', persona: CAMERA.id, loginFailureDelayMs: 0 }]);
});
after(async () => {
  await hachi.stop();
});

async function loginLikeMirai(): Promise<TelnetTestClient> {
  const pairs = corpus?.credentials_mirai_style ?? [[CAMERA.username, CAMERA.password]];
  for (const [username, password] of pairs) {
    const client = await TelnetTestClient.connect(hachi.ports.get('camera')!);
    // One pair per connection, as Mirai's scanner does.
    if (await client.login(username, password)) return client;
    client.close();
  }
  throw new Error('no credential of the corpus list was accepted');
}

const fill = (text: string): string => text.replaceAll('{{fetch}}', FETCH).replaceAll('{{fetch_host}}', '127.0.0.1');

for (const scenario of corpus?.scenarios ?? []) {
  test(`corpus scenario ${scenario.name}`, async () => {
    const client = await loginLikeMirai();
    try {
      for (const step of scenario.steps) {
        const reply = await client.run(fill(step.send));
        if (step.expect) assert.match(reply, new RegExp(step.expect, 'ms'), `reply to ${JSON.stringify(step.send)}`);
        if (step.absent) assert.doesNotMatch(reply, new RegExp(step.absent, 'ms'), `reply to ${JSON.stringify(step.send)}`);
      }
    } finally {
      client.close();
    }
    if (scenario.dropped_file) {
      const sha = createHash('sha256').update(Buffer.from(scenario.dropped_file.hex, 'hex')).digest('hex');
      await waitForCli(['samples', '--json'], (out) => out.includes(sha), `sample ${sha} of ${scenario.dropped_file.path}`);
    }
    for (const url of scenario.expect_downloads ?? []) {
      await waitForCli(['events', '--type', 'download.attempt', '--json'], (out) => out.includes(fill(url)), `download of ${url}`);
    }
  });
}

test('the corpus is present', { skip: corpus ? false : 'shared/corpus/telnet-attacks.yaml not found beside the project' }, () => {
  assert.ok(corpus && corpus.scenarios.length > 0);
});

test('recon answers agree with each other', async () => {
  const client = await loginLikeMirai();
  try {
    const uname = await client.run('uname -a');
    const cpuinfo = await client.run('cat /proc/cpuinfo');
    const hostname = (await client.run('hostname')).trim();
    const header = await client.run('dd bs=52 count=1 if=/bin/busybox');
    assert.match(uname, new RegExp(`^Linux ${hostname} `));
    assert.ok(uname.includes(CAMERA.unameMachine), uname);
    assert.match(cpuinfo, CAMERA.cpuinfoPattern);
    const elf = Buffer.from(header, 'latin1');
    assert.equal(elf.subarray(0, 4).toString('latin1'), '\x7fELF');
    assert.equal(elf[18], CAMERA.elfMachine);
  } finally {
    client.close();
  }
});

async function waitForCli(args: string[], ok: (stdout: string) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  let last = '';
  while (Date.now() < deadline) {
    const result = await hachi.cli(args);
    last = result.stdout + result.stderr;
    if (ok(result.stdout)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`${what} not found in \`hachi ${args.join(' ')}\`: ${last.slice(0, 2000)}`);
}
