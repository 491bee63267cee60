// ifconfig [-a] [IFACE]: the persona's interfaces in BusyBox (net-tools style) layout.
import type { NetworkInterface } from '../../core/persona.ts';
import type { Command } from '../command.ts';
import { counters, ifconfigBytes } from './net-format.ts';
import { uptimeSeconds } from './sysinfo.ts';

function block(iface: NetworkInterface, uptime: number): string {
  const loopback = iface.name === 'lo';
  const head = loopback ? 'Link encap:Local Loopback  ' : `Link encap:Ethernet  HWaddr ${iface.mac ?? '00:00:00:00:00:00'}  `;
  const lines = [`${iface.name.padEnd(10)}${head}`];
  if (iface.ipv4 !== null) {
    const bcast = iface.broadcast === null ? '' : `  Bcast:${iface.broadcast}`;
    lines.push(`          inet addr:${iface.ipv4}${bcast}  Mask:${iface.netmask ?? '255.255.255.255'}`);
  }
  lines.push(`          ${loopback ? 'UP LOOPBACK RUNNING' : 'UP BROADCAST RUNNING MULTICAST'}  MTU:${iface.mtu}  Metric:1`);
  const c = counters(iface, uptime);
  lines.push(`          RX packets:${c.rxPackets} errors:0 dropped:0 overruns:0 frame:0`);
  lines.push(`          TX packets:${c.txPackets} errors:0 dropped:0 overruns:0 carrier:0`);
  lines.push(`          collisions:0 txqueuelen:${loopback ? 0 : 1000} `);
  lines.push(`          RX bytes:${c.rxBytes} (${ifconfigBytes(c.rxBytes)})  TX bytes:${c.txBytes} (${ifconfigBytes(c.txBytes)})`);
  return `${lines.join('\n')}\n\n`;
}

export const ifconfig: Command = (ctx) => {
  const args = ctx.argv.slice(1).filter((arg) => arg !== '-a');
  const interfaces = ctx.persona.network.interfaces;
  const name = args[0];
  if (name === undefined) {
    ctx.stdout.write(interfaces.map((iface) => block(iface, uptimeSeconds(ctx))).join(''));
    return 0;
  }
  const iface = interfaces.find((i) => i.name === name);
  if (iface === undefined) {
    ctx.stderr.write(`ifconfig: ${name}: error fetching interface information: Device not found\n`);
    return 1;
  }
  // Configuring (`ifconfig eth0 up`, an address) changes nothing and says nothing, as on success.
  if (args.length === 1) ctx.stdout.write(block(iface, uptimeSeconds(ctx)));
  return 0;
};
