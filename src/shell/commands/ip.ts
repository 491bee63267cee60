// ip addr|link|route [show]: the persona's interfaces and routes in BusyBox iproute layout.
import type { NetworkInterface } from '../../core/persona.ts';
import type { Command } from '../command.ts';
import { networkOf, prefixLength } from './net-format.ts';
import { showUsage } from './usage.ts';

const usage = `ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]

OPTIONS := -f[amily] inet|inet6|link | -o[neline]`;

function linkLines(iface: NetworkInterface, index: number): string[] {
  const loopback = iface.name === 'lo';
  const flags = loopback ? 'LOOPBACK,UP,LOWER_UP' : 'BROADCAST,MULTICAST,UP,LOWER_UP';
  const qdisc = loopback ? 'noqueue' : 'pfifo_fast';
  return [
    `${index + 1}: ${iface.name}: <${flags}> mtu ${iface.mtu} qdisc ${qdisc} qlen 1000`,
    loopback ? '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00' : `    link/ether ${(iface.mac ?? '00:00:00:00:00:00').toLowerCase()} brd ff:ff:ff:ff:ff:ff`,
  ];
}

/** Loopback first, as the kernel numbers it. */
function ordered(interfaces: readonly NetworkInterface[]): NetworkInterface[] {
  return [...interfaces].sort((a, b) => (a.name === 'lo' ? -1 : b.name === 'lo' ? 1 : 0));
}

export const ip: Command = (ctx) => {
  const args = ctx.argv.slice(1).filter((arg) => !arg.startsWith('-'));
  const object = args[0];
  const interfaces = ordered(ctx.persona.network.interfaces);
  if (object === undefined) return showUsage(ctx, usage);
  const action = args[1] ?? 'show';
  if (!['show', 'list', 'lst', 'sh', 'ls', 'l', 's'].includes(action)) {
    ctx.stderr.write('ip: RTNETLINK answers: Operation not permitted\n');
    return 2;
  }
  const lines: string[] = [];
  if ('address'.startsWith(object) || object === 'addr') {
    interfaces.forEach((iface, index) => {
      lines.push(...linkLines(iface, index));
      if (iface.ipv4 !== null) {
        const scope = iface.name === 'lo' ? 'host' : 'global';
        const brd = iface.broadcast === null ? '' : ` brd ${iface.broadcast}`;
        lines.push(`    inet ${iface.ipv4}/${prefixLength(iface.netmask)}${brd} scope ${scope} ${iface.name}`, '       valid_lft forever preferred_lft forever');
      }
    });
  } else if ('link'.startsWith(object)) {
    interfaces.forEach((iface, index) => lines.push(...linkLines(iface, index)));
  } else if ('route'.startsWith(object)) {
    const gateway = ctx.persona.network.gateway;
    const main = interfaces.find((i) => i.name !== 'lo' && i.ipv4 !== null);
    if (gateway !== null && main) lines.push(`default via ${gateway} dev ${main.name} `);
    for (const iface of interfaces) {
      const net = networkOf(iface);
      if (net === null || iface.name === 'lo') continue;
      lines.push(`${net}/${prefixLength(iface.netmask)} dev ${iface.name} scope link  src ${iface.ipv4 ?? ''} `);
    }
  } else {
    ctx.stderr.write(`ip: unknown command "${object}"\n`);
    return 1;
  }
  if (lines.length > 0) ctx.stdout.write(`${lines.join('\n')}\n`);
  return 0;
};
