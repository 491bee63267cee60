// The sinkhole part of the containment ruleset: instead of dropping a device's other outbound TCP and
// UDP, the firewall redirects it (DNAT) to hachi's sinkhole, which records where it was going and
// what it said. Still logged (rate-limited); everything else a device sends is still dropped.
import { HachiError } from '../core/errors.ts';
import type { CanonicalAddress } from './firewall-addresses.ts';

/** Where the sinkhole listens on hachi's device-network addresses. */
export interface FirewallSinkhole {
  readonly tcpPort: number;
  readonly udpPort: number;
}

export interface SinkholeDevice {
  readonly name: string;
  readonly address: CanonicalAddress;
}

export function checkedSinkhole(sinkhole: FirewallSinkhole): FirewallSinkhole {
  for (const [key, port] of [['tcpPort', sinkhole.tcpPort], ['udpPort', sinkhole.udpPort]] as const) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new HachiError('HACHI_ERR_CONFIG', `relay.sinkhole.${key} ${String(port)}: the firewall redirects to a fixed port from 1 to 65535`);
  }
  return sinkhole;
}

/** Filter rules that let redirected flows reach the sinkhole when only listed hachi ports are open. */
export function sinkholeAcceptRules(sinkhole: FirewallSinkhole): string[] {
  return [
    '\t\t# The sinkhole, where redirected attempts land.',
    `\t\tip daddr @hachi4 tcp dport ${sinkhole.tcpPort} accept`,
    `\t\tip daddr @hachi4 udp dport ${sinkhole.udpPort} accept`,
    `\t\tip6 daddr @hachi6 tcp dport ${sinkhole.tcpPort} accept`,
    `\t\tip6 daddr @hachi6 udp dport ${sinkhole.udpPort} accept`,
  ];
}

/**
 * The nat chains: each new TCP or UDP flow from a device to anything but hachi is logged and sent to
 * the first hachi address of its family. A family without a hachi address is not redirected (dropped).
 */
export function sinkholeChains(sinkhole: FirewallSinkhole, devices: readonly SinkholeDevice[], hachi: readonly CanonicalAddress[], limit: string, logPrefix: string): string[] {
  const target4 = hachi.find((a) => a.family === 4);
  const target6 = hachi.find((a) => a.family === 6);
  const hooks = (hook: 'prerouting' | 'output'): string[] => [
    `\tchain sinkhole_${hook} {`,
    // nft names the -100 nat priority (dstnat) only for prerouting; output takes the number.
    `\t\ttype nat hook ${hook} priority ${hook === 'prerouting' ? 'dstnat' : '-100'}; policy accept;`,
    '\t\tip saddr @devices4 meta l4proto { tcp, udp } jump sinkhole',
    '\t\tip6 saddr @devices6 meta l4proto { tcp, udp } jump sinkhole',
    '\t}',
  ];
  return [
    "\t# Redirects the devices' other outbound TCP and UDP to hachi's sinkhole (device.egress events):",
    '\t# only the first packet of a flow passes a nat chain, so each attempt is logged once (rate-limited).',
    '\tchain sinkhole {',
    '\t\tip daddr @hachi4 return',
    '\t\tip6 daddr @hachi6 return',
    '\t\t# Broadcast and multicast (DHCP, mDNS, SSDP) are not redirected: the filter drops them.',
    '\t\tmeta pkttype != host return',
    '\t\tip daddr { 224.0.0.0/4, 255.255.255.255 } return',
    '\t\tip6 daddr ff00::/8 return',
    ...devices.map((d) => `\t\t${d.address.family === 4 ? 'ip' : 'ip6'} saddr ${d.address.text} ${limit} log prefix "${logPrefix} ${d.name} " comment "hachi device ${d.name}"`),
    ...(target4 ? [`\t\tip saddr @devices4 meta l4proto tcp dnat ip to ${target4.text}:${sinkhole.tcpPort}`, `\t\tip saddr @devices4 meta l4proto udp dnat ip to ${target4.text}:${sinkhole.udpPort}`] : []),
    ...(target6 ? [`\t\tip6 saddr @devices6 meta l4proto tcp dnat ip6 to [${target6.text}]:${sinkhole.tcpPort}`, `\t\tip6 saddr @devices6 meta l4proto udp dnat ip6 to [${target6.text}]:${sinkhole.udpPort}`] : []),
    '\t}',
    '',
    '\t# Routed flows from the devices, and (output) a device whose address lives on this host, such as',
    '\t# a prototype or firmware emulator run beside hachi: its packets never pass prerouting.',
    ...hooks('prerouting'),
    '',
    ...hooks('output'),
  ];
}
