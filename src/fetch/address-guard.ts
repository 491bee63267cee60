// SSRF guard: decides which addresses the fetcher may contact. Loopback, private, shared, link-local,
// multicast, reserved and the sensor's own addresses are refused unless the allow-list names them.
import { BlockList, isIP } from 'node:net';

export interface AddressGuardOptions {
  /** CIDRs (or single addresses) that may be fetched from even though they are blocked by default. */
  readonly allow: readonly string[];
  /** The sensor's own addresses (interfaces, public address): refused like loopback. */
  readonly ownAddresses: readonly string[];
}

export interface AddressVerdict {
  readonly allowed: boolean;
  /** Why it was refused ('loopback', 'private', ...), or 'allow-list' / 'public' when allowed. */
  readonly reason: string;
}

export interface AddressGuard {
  check(address: string): AddressVerdict;
}

/** Ranges that are never the internet (IANA special-purpose registries), by reason. */
const blockedRanges: readonly (readonly [reason: string, cidr: string])[] = [
  ['unspecified', '0.0.0.0/8'],
  ['private', '10.0.0.0/8'],
  ['shared', '100.64.0.0/10'],
  ['loopback', '127.0.0.0/8'],
  ['link-local', '169.254.0.0/16'],
  ['private', '172.16.0.0/12'],
  ['reserved', '192.0.0.0/24'],
  ['documentation', '192.0.2.0/24'],
  ['private', '192.168.0.0/16'],
  ['benchmarking', '198.18.0.0/15'],
  ['documentation', '198.51.100.0/24'],
  ['documentation', '203.0.113.0/24'],
  ['multicast', '224.0.0.0/4'],
  ['reserved', '240.0.0.0/4'],
  ['unspecified', '::/128'],
  ['loopback', '::1/128'],
  ['private', 'fc00::/7'],
  ['link-local', 'fe80::/10'],
  ['multicast', 'ff00::/8'],
  ['documentation', '2001:db8::/32'],
  ['reserved', '100::/64'],
];

/** IPv6 forms that carry an IPv4 address: the embedded address is what would be reached. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const mapped = /^(?:::ffff:|::ffff:0:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return mapped[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const high = parseInt(hex[1]!, 16);
    const low = parseInt(hex[2]!, 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  const sixToFour = /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4}):/.exec(lower);
  if (sixToFour) {
    const high = parseInt(sixToFour[1]!, 16);
    const low = parseInt(sixToFour[2]!, 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return null;
}

function addRange(list: BlockList, cidr: string): void {
  const [base = '', bits] = cidr.split('/');
  const family = isIP(base) === 6 ? 'ipv6' : 'ipv4';
  if (bits === undefined) list.addAddress(base, family);
  else list.addSubnet(base, Number(bits), family);
}

/** Throws on a malformed allow-list entry (config validation reports it first). */
export function createAddressGuard(options: AddressGuardOptions): AddressGuard {
  const allow = new BlockList();
  for (const entry of options.allow) {
    if (!isValidCidr(entry)) throw new TypeError(`not an address or CIDR: ${JSON.stringify(entry)}`);
    addRange(allow, entry);
  }
  const blocked = blockedRanges.map(([reason, cidr]) => {
    const list = new BlockList();
    addRange(list, cidr);
    return { reason, list };
  });
  const own = new BlockList();
  for (const address of options.ownAddresses) if (isIP(address)) addRange(own, address);

  const classify = (address: string, family: 'ipv4' | 'ipv6'): string | null => {
    if (own.check(address, family)) return 'own-address';
    for (const { reason, list } of blocked) if (list.check(address, family)) return reason;
    return null;
  };

  return {
    check(raw) {
      const address = raw.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
      const version = isIP(address);
      if (version === 0) return { allowed: false, reason: 'not-an-address' };
      const family = version === 6 ? 'ipv6' : 'ipv4';
      if (allow.check(address, family)) return { allowed: true, reason: 'allow-list' };
      const inner = family === 'ipv6' ? embeddedIpv4(address) : null;
      if (inner !== null && allow.check(inner, 'ipv4')) return { allowed: true, reason: 'allow-list' };
      const reason = classify(address, family) ?? (inner === null ? null : classify(inner, 'ipv4'));
      return reason === null ? { allowed: true, reason: 'public' } : { allowed: false, reason };
    },
  };
}

export function isValidCidr(entry: string): boolean {
  const [base = '', bits, extra] = entry.split('/');
  const version = isIP(base);
  if (version === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (version === 4 ? 32 : 128);
}
