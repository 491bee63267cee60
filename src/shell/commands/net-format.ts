// Shared figures for the network applets: prefix lengths, network addresses and traffic counters
// that grow with the device's uptime, so ifconfig never shows a box that never talked.
import type { NetworkInterface } from '../../core/persona.ts';

export function ipToNumber(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + (Number(part) & 255), 0);
}

export function numberToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

export function prefixLength(netmask: string | null): number {
  if (netmask === null) return 32;
  let bits = 0;
  for (let v = ipToNumber(netmask); v > 0; v = (v * 2) % 2 ** 32) bits++;
  return bits;
}

export function networkOf(iface: NetworkInterface): string | null {
  if (iface.ipv4 === null || iface.netmask === null) return null;
  return numberToIp(ipToNumber(iface.ipv4) - (ipToNumber(iface.ipv4) % (2 ** (32 - prefixLength(iface.netmask)))));
}

/** Deterministic per-interface counters (packets, bytes) from the uptime. */
export function counters(iface: NetworkInterface, uptimeSeconds: number): { rxPackets: number; txPackets: number; rxBytes: number; txBytes: number } {
  const scale = iface.name === 'lo' ? 0.02 : 1;
  const rxPackets = Math.floor(uptimeSeconds * 3.7 * scale) + iface.name.length;
  const txPackets = Math.floor(uptimeSeconds * 2.9 * scale) + iface.name.length;
  return { rxPackets, txPackets, rxBytes: rxPackets * 412, txBytes: txPackets * 633 };
}

/** ifconfig's "(1.5 MiB)" figure. */
export function ifconfigBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit] ?? 'B'}`;
}
