// route [-n]: the kernel routing table built from the persona's interfaces and gateway.
import type { Command, CommandContext } from '../command.ts';
import { networkOf } from './net-format.ts';

export function routeTable(ctx: CommandContext, numeric: boolean): string {
  const rows: string[] = ['Kernel IP routing table', 'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface'];
  const row = (dest: string, gateway: string, mask: string, flags: string, iface: string): string =>
    `${dest.padEnd(15)} ${gateway.padEnd(15)} ${mask.padEnd(15)} ${flags.padEnd(5)} 0      0        0 ${iface}`;
  const main = ctx.persona.network.interfaces.find((i) => i.name !== 'lo' && i.ipv4 !== null);
  const gateway = ctx.persona.network.gateway;
  if (gateway !== null && main) rows.push(row(numeric ? '0.0.0.0' : 'default', gateway, '0.0.0.0', 'UG', main.name));
  for (const iface of ctx.persona.network.interfaces) {
    const net = networkOf(iface);
    if (net === null || iface.name === 'lo') continue;
    rows.push(row(net, numeric ? '0.0.0.0' : '*', iface.netmask ?? '255.255.255.255', 'U', iface.name));
  }
  return `${rows.join('\n')}\n`;
}

export const route: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.some((arg) => arg === 'add' || arg === 'del')) return 0;
  ctx.stdout.write(routeTable(ctx, args.includes('-n') || args.includes('-ne')));
  return 0;
};
