// Child program for the firewall behaviour test, run ONLY inside a throwaway network namespace
// (`unshare -n`): puts test addresses on lo, loads a ruleset for real, and reports which TCP
// connections and UDP datagrams get through. Refuses to touch a namespace with any other interface.
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';

export interface Probe {
  readonly proto: 'tcp' | 'udp';
  readonly from: string;
  readonly to: string;
  readonly port: number;
}

interface Plan {
  readonly ruleset: string;
  readonly addresses: readonly string[];
  readonly probes: readonly Probe[];
}

const WAIT_MS = 400;

async function tcpGetsThrough({ from, to, port }: Probe): Promise<boolean> {
  const server = createServer((socket) => socket.end('hi'));
  await new Promise<void>((resolve) => server.listen(port, to, resolve));
  const through = await new Promise<boolean>((resolve) => {
    const socket = connect({ host: to, port, localAddress: from });
    const timer = setTimeout(() => finish(false), WAIT_MS);
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    // Data proves the whole exchange passed both ways (SYN, SYN-ACK, payload), not just the SYN.
    socket.on('data', () => finish(true));
    socket.on('error', () => finish(false));
  });
  await new Promise((resolve) => server.close(resolve));
  return through;
}

async function udpGetsThrough({ from, to, port }: Probe): Promise<boolean> {
  const type = to.includes(':') ? 'udp6' : 'udp4';
  const receiver = createSocket(type);
  const sender = createSocket(type);
  await new Promise<void>((resolve) => receiver.bind(port, to, resolve));
  await new Promise<void>((resolve) => sender.bind(0, from, resolve));
  const through = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), WAIT_MS);
    receiver.on('message', () => {
      clearTimeout(timer);
      resolve(true);
    });
    sender.send('query', port, to);
  });
  receiver.close();
  sender.close();
  return through;
}

const plan = JSON.parse(readFileSync(0, 'utf8')) as Plan;
const interfaces = Object.keys(networkInterfaces());
const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).trim().split('\n');
if (links.length !== 1 || !/^1: lo:/.test(links[0] ?? '') || interfaces.some((name) => name !== 'lo')) {
  process.stderr.write('firewall-probe: not in a fresh network namespace, refusing to change anything\n');
  process.exit(3);
}
execFileSync('ip', ['link', 'set', 'lo', 'up']);
for (const address of plan.addresses) execFileSync('ip', ['addr', 'add', `${address}/${address.includes(':') ? 128 : 32}`, 'dev', 'lo', ...(address.includes(':') ? ['nodad'] : [])]);
execFileSync('/usr/sbin/nft', ['-f', '-'], { input: plan.ruleset });
// Loading it a second time must replace the table, not fail or duplicate it.
execFileSync('/usr/sbin/nft', ['-f', '-'], { input: plan.ruleset });
const results = await Promise.all(plan.probes.map((p) => (p.proto === 'tcp' ? tcpGetsThrough(p) : udpGetsThrough(p))));
const listing = execFileSync('/usr/sbin/nft', ['list', 'ruleset'], { encoding: 'utf8' });
process.stdout.write(`${JSON.stringify({ results, listing })}\n`);
