// Which configured device sent a packet the sinkhole received: addresses compared in one canonical
// form (IPv4-mapped unwrapped, IPv6 compressed and lowercased), anything else is 'unknown'.
import { isIP } from 'node:net';

/** Name reported for a sender that is no configured device (a direct hit on the sinkhole port). */
export const UNKNOWN_SOURCE = 'unknown';

/** Returns a lookup from a sender's address to its device name. */
export function deviceNames(devices: readonly { readonly name: string; readonly address: string }[]): (ip: string) => string {
  const byAddress = new Map<string, string>();
  for (const d of devices) {
    const key = canonicalIp(d.address);
    if (key !== null && !byAddress.has(key)) byAddress.set(key, d.name);
  }
  return (ip) => {
    const key = canonicalIp(ip);
    return (key === null ? undefined : byAddress.get(key)) ?? UNKNOWN_SOURCE;
  };
}

/** One spelling per address, or null when it is none. */
export function canonicalIp(value: string): string | null {
  const family = isIP(value);
  if (family === 4) return value;
  if (family !== 6 || value.includes('%')) return null;
  // The WHATWG URL host serialiser is RFC 5952 (lowercase, longest zero run compressed).
  const text = new URL(`http://[${value}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(text);
  if (!mapped) return text;
  const high = Number.parseInt(mapped[1] ?? '0', 16);
  const low = Number.parseInt(mapped[2] ?? '0', 16);
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}
