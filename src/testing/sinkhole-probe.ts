// Child program for the sinkhole behaviour test, run ONLY inside a throwaway network namespace
// (`unshare -n`): loads the ruleset, starts the real sinkhole (with conntrack), sends each probe from
// its address, and reports whether the addressed listener got it and what the sinkhole recorded.
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import type { EventPayloads } from '../core/events.ts';
import { createConntrackLookup } from '../relay/conntrack-lookup.ts';
import { startEgressSinkhole } from '../relay/egress-sinkhole.ts';
import { encodeDnsQuery } from './dns-query.ts';

export interface SinkholeProbe {
  readonly proto: 'tcp' | 'udp';
  readonly from: string;
  readonly to: string;
  readonly port: number;
  /** TCP: bytes sent after connecting; UDP: the name of a DNS query sent. */
  readonly payload: string;
}

export interface SinkholePlan {
  readonly ruleset: string;
  readonly addresses: readonly string[];
  readonly devices: readonly { readonly name: string; readonly address: string }[];
  readonly sinkhole: { readonly tcpPort: number; readonly udpPort: number };
  readonly probes: readonly SinkholeProbe[];
}

export interface SinkholeOutcome {
  /** Per probe: did the listener at its destination receive anything. */
  readonly reached: readonly boolean[];
  readonly egress: readonly EventPayloads['device.egress'][];
  readonly conntrackErrors: readonly string[];
}

const WAIT_MS = 400;

/** Sends one probe and reports whether the listener at `to:port` saw it. */
async function reaches(probe: SinkholeProbe): Promise<boolean> {
  let seen = false;
  if (probe.proto === 'tcp') {
    const server = createServer((socket) => {
      seen = true;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(probe.port, probe.to, resolve));
    const socket = connect({ host: probe.to, port: probe.port, localAddress: probe.from });
    socket.on('error', () => undefined);
    socket.on('connect', () => socket.end(probe.payload));
    await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
    socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    return seen;
  }
  const type = probe.to.includes(':') ? 'udp6' : 'udp4';
  const receiver = createSocket(type);
  const sender = createSocket(type);
  receiver.on('message', () => (seen = true));
  await new Promise<void>((resolve) => receiver.bind(probe.port, probe.to, resolve));
  await new Promise<void>((resolve) => sender.bind(0, probe.from, resolve));
  sender.send(encodeDnsQuery(0x5151, probe.payload), probe.port, probe.to);
  await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
  receiver.close();
  sender.close();
  return seen;
}

const plan = JSON.parse(readFileSync(0, 'utf8')) as SinkholePlan;
const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).trim().split('\n');
if (links.length !== 1 || !/^1: lo:/.test(links[0] ?? '') || Object.keys(networkInterfaces()).some((name) => name !== 'lo')) {
  process.stderr.write('sinkhole-probe: not in a fresh network namespace, refusing to change anything\n');
  process.exit(3);
}
execFileSync('ip', ['link', 'set', 'lo', 'up']);
for (const address of plan.addresses) execFileSync('ip', ['addr', 'add', `${address}/${address.includes(':') ? 128 : 32}`, 'dev', 'lo', ...(address.includes(':') ? ['nodad'] : [])]);
execFileSync('/usr/sbin/nft', ['-f', '-'], { input: plan.ruleset });

const egress: EventPayloads['device.egress'][] = [];
const conntrackErrors: string[] = [];
const sinkhole = await startEgressSinkhole({
  host: '::',
  ...plan.sinkhole,
  previewBytes: 64,
  idleTimeoutMs: 200,
  maxConnectionMs: 1000,
  maxConnections: 16,
  eventsPerWindow: 100,
  windowMs: 60_000,
  devices: plan.devices,
  lookup: createConntrackLookup({ path: '/usr/sbin/conntrack', timeoutMs: 5000, maxInFlight: 4, onUnavailable: (reason) => conntrackErrors.push(reason) }),
  now: () => Date.now(),
  onEgress: (event) => egress.push(event),
  onError: (where, error) => conntrackErrors.push(`${where}: ${error.message}`),
});
const reached: boolean[] = [];
// One at a time: probes may share a destination port, and each listener must see only its own probe.
for (const probe of plan.probes) reached.push(await reaches(probe));
await sinkhole.close();
const outcome: SinkholeOutcome = { reached, egress, conntrackErrors };
process.stdout.write(`${JSON.stringify(outcome)}\n`);
