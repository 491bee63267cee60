// `hachi relay firewall` end to end: the real CLI reads a configuration and prints a ruleset that
// `nft -c` accepts; bad options and bad configurations fail with their error code and no ruleset.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nftCheck, nftInstalled, NFT } from '../../testing/nft-check.ts';
import { relayFirewallRuleset } from './relay-firewall.ts';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

const CONFIG = `
devices:
  - name: lab-cam
    product: 'Acme IPC "pro"; }'
    firmware: V5.00.R02
    address: 192.0.2.10
    services:
      - { protocol: tcp, port: 2323, devicePort: 23 }
      - { protocol: tcp, port: 8080, devicePort: 80 }
  - name: lab-router
    product: Widget Router
    model: WR-9
    firmware: 1.2.3
    address: 2001:DB8::10
    services:
      - { protocol: tcp, port: 2222, devicePort: 22 }
relay:
  hachiAddresses: [192.0.2.1, 2001:db8::1]
`;

function runCli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let dir = '';
before(async () => {
  assert.ok(await nftInstalled(), `${NFT} is missing: install nftables (.ci/run does) to validate the generated rulesets`);
  dir = await mkdtemp(join(tmpdir(), 'hachi-firewall-'));
  await writeFile(join(dir, 'hachi.yaml'), CONFIG);
  await writeFile(join(dir, 'bad.yaml'), CONFIG.replace('192.0.2.10', '192.0.2.300'));
  await writeFile(join(dir, 'twice.yaml'), CONFIG.replace('lab-router', 'lab-cam'));
});

test('prints a ruleset for the configured devices that nft accepts, the same every time', async () => {
  const file = join(dir, 'hachi.yaml');
  const result = await runCli(['relay', 'firewall', '--config', file]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  const check = await nftCheck(result.stdout);
  assert.ok(check.ok, `${check.output}\n${result.stdout}`);
  assert.match(result.stdout, /^table inet hachi \{$/m);
  assert.match(result.stdout, /\tset services4 \{ type ipv4_addr \. inet_service; elements = \{ 192\.0\.2\.10 \. 23, 192\.0\.2\.10 \. 80 \} \}/);
  assert.match(result.stdout, /\tset services6 \{ type ipv6_addr \. inet_service; elements = \{ 2001:db8::10 \. 22 \} \}/);
  assert.match(result.stdout, /log prefix "hachi-egress lab-cam "/);
  assert.match(result.stdout, /log prefix "hachi-egress lab-router "/);
  assert.match(result.stdout, /# device lab-cam 192\.0\.2\.10: product "Acme IPC pro" firmware "V5\.00\.R02", TCP ports 23, 80/);
  // The command function gives the very same text: the CLI adds nothing nondeterministic.
  assert.equal((await relayFirewallRuleset({ config: file })).text, result.stdout);
});

test('--table, --log-prefix and --hachi-ports shape the ruleset', async () => {
  const result = await runCli(['relay', 'firewall', '-c', join(dir, 'hachi.yaml'), '--table', 'hachi_lab', '--log-prefix', 'lab-out', '--hachi-ports', '8080, 2323']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^table inet hachi_lab \{$/m);
  assert.match(result.stdout, /log prefix "lab-out lab-cam "/);
  assert.match(result.stdout, /\tset hachi_ports \{ type inet_service; elements = \{ 2323, 8080 \} \}/);
  const check = await nftCheck(result.stdout);
  assert.ok(check.ok, check.output);
});

test('without devices: a harmless table and a warning on stderr', async () => {
  const result = await runCli(['relay', 'firewall']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, 'hachi: warning: no devices are configured: the ruleset matches no packet\n');
  assert.match(result.stdout, /# no devices configured/);
  const check = await nftCheck(result.stdout);
  assert.ok(check.ok, check.output);
});

test('bad options and bad configurations print no ruleset and exit 2 with the error code', async () => {
  const cases: [readonly string[], RegExp][] = [
    [['--table', 'drop'], /HACHI_ERR_USAGE: table name "drop"/],
    [['--log-prefix', 'a"b'], /HACHI_ERR_USAGE: log prefix /],
    [['--hachi-ports', '0x50'], /HACHI_ERR_USAGE: --hachi-ports "0x50"/],
    [['--hachi-ports', '70000'], /HACHI_ERR_USAGE: hachi port 70000/],
    [['-c', join(dir, 'bad.yaml')], /HACHI_ERR_CONFIG: .*bad\.yaml: devices\.0\.address: /],
    [['-c', join(dir, 'twice.yaml')], /HACHI_ERR_CONFIG: devices: name lab-cam is used twice/],
  ];
  for (const [args, pattern] of cases) {
    const result = await runCli(['relay', 'firewall', ...(args.includes('-c') ? [] : ['-c', join(dir, 'hachi.yaml')]), ...args]);
    assert.equal(result.code, 2, args.join(' '));
    assert.equal(result.stdout, '', args.join(' '));
    assert.match(result.stderr, pattern);
  }
});

test('relay.sinkhole.enabled: the devices\' other TCP and UDP is redirected to the sinkhole ports', async () => {
  const file = join(dir, 'sinkhole.yaml');
  await writeFile(file, CONFIG.replace('relay:\n', 'relay:\n  sinkhole: { enabled: true, tcpPort: 9998, udpPort: 9953 }\n'));
  const { text } = await relayFirewallRuleset({ config: file });
  assert.match(text, /\t\tip saddr @devices4 meta l4proto tcp dnat ip to 192\.0\.2\.1:9998\n/);
  assert.match(text, /\t\tip6 saddr @devices6 meta l4proto udp dnat ip6 to \[2001:db8::1\]:9953\n/);
  const check = await nftCheck(text);
  assert.ok(check.ok, check.output);
  assert.doesNotMatch((await relayFirewallRuleset({ config: join(dir, 'hachi.yaml') })).text, /dnat/, 'off by default');
});
