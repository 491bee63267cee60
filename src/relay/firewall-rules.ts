// Containment for real devices behind the relay: renders the nftables ruleset that lets a device
// answer hachi and reach hachi only (pure: devices in, ruleset text out; `hachi relay firewall` prints it).
import { HachiError, type ErrorCode } from '../core/errors.ts';
import { canonicalAddress, type CanonicalAddress } from './firewall-addresses.ts';
import { checkedSinkhole, sinkholeAcceptRules, sinkholeChains, type FirewallSinkhole } from './firewall-sinkhole.ts';

/** What the ruleset needs of a configured device (a structural subset of the config's device). */
export interface FirewallDevice {
  readonly name: string;
  readonly product: string;
  readonly model?: string | undefined;
  readonly firmware: string;
  readonly address: string;
  /** Every relayed protocol (raw TCP, Telnet, HTTP, SSH) runs over TCP to this port on the device. */
  readonly services: readonly { readonly devicePort: number }[];
}

export interface FirewallOptions {
  /** nftables table; must start with "hachi" so it can never collide with an nft keyword. */
  readonly table?: string;
  /** Egress log lines read "<logPrefix> <device-name> ..." (default hachi-egress). */
  readonly logPrefix?: string;
  readonly ingressLogPrefix?: string;
  /** Ports (TCP and UDP) a device may open on hachi's addresses; 'all' by default. */
  readonly hachiPorts?: readonly number[] | 'all';
  /** Log lines per minute per device (drops themselves are never limited). */
  readonly logRatePerMinute?: number;
  /** Redirect the devices' other outbound TCP and UDP to hachi's sinkhole instead of dropping it. */
  readonly sinkhole?: FirewallSinkhole | null;
}

export interface FirewallRuleset {
  readonly text: string;
  /** Configurations that load fine but cut more than intended (no hachi address, family mismatch). */
  readonly warnings: readonly string[];
}

interface Device {
  readonly name: string;
  readonly address: CanonicalAddress;
  readonly ports: readonly number[];
  readonly comment: string;
}

const DEVICE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const TABLE_NAME = /^hachi[a-z0-9_]{0,27}$/;
const LOG_PREFIX = /^[A-Za-z0-9._:-]{1,32}$/;

export function renderFirewallRules(devices: readonly FirewallDevice[], hachiAddresses: readonly string[], options: FirewallOptions = {}): FirewallRuleset {
  const table = checkedOption(options.table ?? 'hachi', TABLE_NAME, 'table name', 'start with "hachi", then lowercase letters, digits or _ (32 at most)');
  const egressPrefix = checkedOption(options.logPrefix ?? 'hachi-egress', LOG_PREFIX, 'log prefix', 'letters, digits and ._:- (32 at most)');
  const ingressPrefix = checkedOption(options.ingressLogPrefix ?? 'hachi-ingress', LOG_PREFIX, 'ingress log prefix', 'letters, digits and ._:- (32 at most)');
  const rate = options.logRatePerMinute ?? 10;
  if (!Number.isInteger(rate) || rate < 1 || rate > 10_000) throw usage(`log rate ${rate}: a whole number of lines per minute, 1 to 10000`);
  const hachiPorts = options.hachiPorts === undefined || options.hachiPorts === 'all' ? 'all' : checkedPorts(options.hachiPorts, 'hachi port', 'HACHI_ERR_USAGE');
  const sinkhole = options.sinkhole ? checkedSinkhole(options.sinkhole) : null;

  const hachi = uniqueAddresses(hachiAddresses.map((a, i) => canonicalAddress(a, `relay.hachiAddresses.${i}`)));
  const list = checkedDevices(devices, hachi);
  const warnings = familyWarnings(list, hachi);
  const limit = `limit rate ${rate}/minute burst ${rate * 2} packets`;
  const of = (f: 4 | 6): Device[] => list.filter((d) => d.address.family === f);

  const lines = [
    ...header(table, egressPrefix, ingressPrefix, hachi, list, hachiPorts),
    ...(sinkhole ? [`# sinkhole: a device's other TCP and UDP is redirected to hachi port ${sinkhole.tcpPort}/tcp, ${sinkhole.udpPort}/udp (logged "${egressPrefix} <device> ")`, ''] : []),
    `table inet ${table}`,
    `delete table inet ${table}`,
    '',
    `table inet ${table} {`,
    "\t# hachi's own addresses on the device network: the relay connects to the devices from them.",
    addressSet('hachi4', 'ipv4_addr', hachi.filter((a) => a.family === 4).map((a) => a.text)),
    addressSet('hachi6', 'ipv6_addr', hachi.filter((a) => a.family === 6).map((a) => a.text)),
    addressSet('devices4', 'ipv4_addr', of(4).map((d) => d.address.text)),
    addressSet('devices6', 'ipv6_addr', of(6).map((d) => d.address.text)),
    '\t# Relayed services: device address . TCP port on the device.',
    addressSet('services4', 'ipv4_addr . inet_service', of(4).flatMap((d) => d.ports.map((p) => `${d.address.text} . ${p}`))),
    addressSet('services6', 'ipv6_addr . inet_service', of(6).flatMap((d) => d.ports.map((p) => `${d.address.text} . ${p}`))),
    ...(hachiPorts === 'all' ? [] : [addressSet('hachi_ports', 'inet_service', hachiPorts.map(String))]),
    '',
    '\t# Every packet from a device, routed or to this host: hachi only, everything else dropped and logged',
    '\t# (DNS, NTP, ICMP and IPv6 included), so whoever owns the device cannot use it against anyone.',
    '\tchain device_egress {',
    ...(hachiPorts === 'all'
      ? ['\t\tip daddr @hachi4 accept', '\t\tip6 daddr @hachi6 accept']
      : [
          "\t\t# Answers to the relay's connections, and ICMP errors about them (related).",
          '\t\tip daddr @hachi4 ct state established,related accept',
          '\t\tip6 daddr @hachi6 ct state established,related accept',
          '\t\tip daddr @hachi4 meta l4proto { tcp, udp } th dport @hachi_ports accept',
          '\t\tip6 daddr @hachi6 meta l4proto { tcp, udp } th dport @hachi_ports accept',
          ...(sinkhole ? sinkholeAcceptRules(sinkhole) : []),
        ]),
    ...list.map((d) => `\t\t${d.address.family === 4 ? 'ip' : 'ip6'} saddr ${d.address.text} ${limit} log prefix "${egressPrefix} ${d.name} " comment "hachi device ${d.name}"`),
    '\t\tcounter drop',
    '\t}',
    '',
    "\t# Every packet routed to a device: only hachi's connections to its relayed ports (and pings from",
    '\t# health probes); attackers reach the device through the recording relay or not at all.',
    '\tchain device_ingress {',
    '\t\tip saddr @hachi4 ip daddr . tcp dport @services4 ct state new accept',
    '\t\tip6 saddr @hachi6 ip6 daddr . tcp dport @services6 ct state new accept',
    '\t\tip saddr @hachi4 icmp type echo-request accept',
    '\t\tip6 saddr @hachi6 icmpv6 type echo-request accept',
    '\t\tip saddr @hachi4 ct state established,related accept',
    '\t\tip6 saddr @hachi6 ct state established,related accept',
    `\t\t${limit} log prefix "${ingressPrefix} "`,
    '\t\tcounter drop',
    '\t}',
    '',
    '\t# On the router between the device network and the rest: both directions. Policy accept: the table',
    "\t# judges only devices' packets and leaves other traffic to the host's own rules.",
    '\tchain forward {',
    '\t\ttype filter hook forward priority filter; policy accept;',
    '\t\tip saddr @devices4 jump device_egress',
    '\t\tip6 saddr @devices6 jump device_egress',
    '\t\tip daddr @devices4 jump device_ingress',
    '\t\tip6 daddr @devices6 jump device_ingress',
    '\t}',
    '',
    "\t# On the host running hachi (or the router itself): the device reaches hachi's addresses, not the",
    "\t# host's other services. No output chain: what this host sends a device is the relay's own traffic.",
    '\tchain input {',
    '\t\ttype filter hook input priority filter; policy accept;',
    '\t\t# IPv6 neighbour discovery with this host: link-local by construction (hop limit 255, never routed).',
    '\t\tip6 saddr @devices6 ip6 hoplimit 255 icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept',
    '\t\tip saddr @devices4 jump device_egress',
    '\t\tip6 saddr @devices6 jump device_egress',
    '\t}',
    ...(sinkhole ? ['', ...sinkholeChains(sinkhole, list, hachi, limit, egressPrefix)] : []),
    '}',
  ];
  return { text: `${lines.join('\n')}\n`, warnings };
}

function header(table: string, egress: string, ingress: string, hachi: readonly CanonicalAddress[], devices: readonly Device[], ports: readonly number[] | 'all'): string[] {
  return [
    '#!/usr/sbin/nft -f',
    '# Generated by `hachi relay firewall` from the configuration: regenerate it rather than edit it.',
    "# Containment for real devices behind hachi's recording relay. A device may answer the relay's",
    "# connections and reach hachi's addresses; every other packet from it is dropped and logged with",
    `# the prefix "${egress} <device> ". Packets to a device from anyone but hachi are dropped and logged`,
    `# ("${ingress} "). Load on the router in front of the device network (forward) and on the host`,
    `# running hachi (input) with: nft -f FILE. Remove with: nft delete table inet ${table}`,
    '# Hosts on one Ethernet segment talk without a router: give each device its own segment or VLAN.',
    '# Devices need static addresses: DHCP, DNS and NTP from a device are dropped like the rest.',
    '#',
    `# ports a device may open on hachi: ${ports === 'all' ? 'all' : `TCP/UDP ${ports.join(', ')}`}`,
    `# hachi: ${hachi.length > 0 ? hachi.map((a) => a.text).join(', ') : 'no address configured (relay.hachiAddresses): devices reach nothing'}`,
    ...(devices.length > 0 ? devices.map((d) => `# device ${d.name} ${d.address.text}: ${d.comment}, TCP ports ${d.ports.join(', ')}`) : ['# no devices configured: this table matches no packet']),
    '',
    // Creating the table first lets the delete succeed on a first load; one `nft -f` replaces it atomically.
    '# Replace any earlier version atomically:',
  ];
}

function addressSet(name: string, type: string, elements: readonly string[]): string {
  // An empty set is declared without elements (nft refuses `elements = { }`); rules on it match nothing.
  return elements.length > 0 ? `\tset ${name} { type ${type}; elements = { ${elements.join(', ')} } }` : `\tset ${name} { type ${type}; }`;
}

function checkedDevices(devices: readonly FirewallDevice[], hachi: readonly CanonicalAddress[]): Device[] {
  const byName = new Map<string, Device>();
  const owners = new Map(hachi.map((a) => [a.text, 'relay.hachiAddresses']));
  for (const device of devices) {
    if (!DEVICE_NAME.test(device.name)) throw new HachiError('HACHI_ERR_CONFIG', `devices: name ${JSON.stringify(device.name.slice(0, 80))}: lowercase letters, digits and dashes (max 63)`);
    if (byName.has(device.name)) throw new HachiError('HACHI_ERR_CONFIG', `devices: name ${device.name} is used twice`);
    const where = `devices.${device.name}`;
    const address = canonicalAddress(device.address, `${where}.address`);
    const owner = owners.get(address.text);
    if (owner) throw new HachiError('HACHI_ERR_CONFIG', `${where}.address: ${address.text} is also ${owner}`);
    owners.set(address.text, `the address of device ${device.name}`);
    const ports = checkedPorts(
      device.services.map((s) => s.devicePort),
      `${where} device port`,
      'HACHI_ERR_CONFIG',
    );
    const model = device.model === undefined ? '' : ` model "${commentText(device.model)}"`;
    byName.set(device.name, { name: device.name, address, ports, comment: `product "${commentText(device.product)}"${model} firmware "${commentText(device.firmware)}"` });
  }
  // Sorted by name: reordering the configuration does not change the ruleset.
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function familyWarnings(devices: readonly Device[], hachi: readonly CanonicalAddress[]): string[] {
  const warnings: string[] = [];
  if (devices.length === 0) warnings.push('no devices are configured: the ruleset matches no packet');
  else if (hachi.length === 0) warnings.push('relay.hachiAddresses is empty: the devices may reach nothing, not even the relay');
  for (const family of [4, 6] as const) {
    if (hachi.length === 0 || hachi.some((a) => a.family === family)) continue;
    for (const d of devices.filter((x) => x.address.family === family)) {
      warnings.push(`device ${d.name} has an IPv${family} address but relay.hachiAddresses has none: all its traffic will be dropped`);
    }
  }
  return warnings;
}

/** Free text (product, firmware) reduced to a charset that is inert inside a quoted `#` comment. */
function commentText(value: string): string {
  const text = value.replace(/[^A-Za-z0-9 ._-]+/g, ' ').replace(/ {2,}/g, ' ').trim().slice(0, 60).trim();
  return text === '' ? '?' : text;
}

function checkedPorts(ports: readonly number[], what: string, code: ErrorCode): number[] {
  for (const p of ports) if (!Number.isInteger(p) || p < 1 || p > 65535) throw new HachiError(code, `${what} ${String(p)}: a port number from 1 to 65535`);
  if (ports.length === 0) throw new HachiError(code, `${what}: at least one port`);
  return [...new Set(ports)].sort((a, b) => a - b);
}

function uniqueAddresses(addresses: readonly CanonicalAddress[]): CanonicalAddress[] {
  const seen = new Set<string>();
  return addresses.filter((a) => !seen.has(a.text) && seen.add(a.text));
}

function checkedOption(value: string, pattern: RegExp, what: string, rule: string): string {
  if (!pattern.test(value)) throw usage(`${what} ${JSON.stringify(value.slice(0, 80))}: ${rule}`);
  return value;
}

function usage(message: string): HachiError {
  return new HachiError('HACHI_ERR_USAGE', message);
}
