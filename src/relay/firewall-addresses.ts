// Address checks for the generated firewall: every address printed into an nftables ruleset is first
// parsed, refused if it cannot be a device or hachi host, and printed in one canonical form.
import { isIP } from 'node:net';
import { HachiError } from '../core/errors.ts';

export interface CanonicalAddress {
  readonly family: 4 | 6;
  /** Dotted quad, or RFC 5952 lowercase compressed IPv6: the same address always prints the same. */
  readonly text: string;
}

const MAPPED_V4 = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/** Parses `value` as an IP address; `what` names it in the error (e.g. `devices.cam-1.address`). */
export function canonicalAddress(value: string, what: string): CanonicalAddress {
  const family = isIP(value);
  if (family === 0) throw configError(what, value, 'not an IPv4 or IPv6 address');
  if (value.includes('%')) throw configError(what, value, 'zone indexes (%eth0) cannot be matched by a firewall; give the address without it');
  if (family === 4) return checkedV4(value, what);
  // The WHATWG URL host serialiser implements RFC 5952 (lowercase, longest zero run compressed).
  const text = new URL(`http://[${value}]/`).hostname.slice(1, -1);
  const mapped = MAPPED_V4.exec(text);
  // An IPv4-mapped address is an IPv4 host on the wire: Node connects to it over IPv4.
  if (mapped) {
    const high = Number.parseInt(mapped[1] ?? '0', 16);
    const low = Number.parseInt(mapped[2] ?? '0', 16);
    return checkedV4(`${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`, what);
  }
  if (text === '::') throw configError(what, value, 'the unspecified address is no host');
  if (text === '::1') throw configError(what, value, 'a loopback address is not on the device network');
  if (/^ff[0-9a-f]{2}:/.test(text)) throw configError(what, value, 'a multicast address is no host');
  return { family: 6, text };
}

function checkedV4(value: string, what: string): CanonicalAddress {
  // isIP already refused leading zeros and out-of-range octets, so Number() is exact.
  const octets = value.split('.').map(Number);
  const first = octets[0] ?? 0;
  const text = octets.join('.');
  if (text === '0.0.0.0') throw configError(what, value, 'the unspecified address is no host');
  if (first === 127) throw configError(what, value, 'a loopback address is not on the device network');
  if (first >= 224 && first <= 239) throw configError(what, value, 'a multicast address is no host');
  if (text === '255.255.255.255') throw configError(what, value, 'the broadcast address is no host');
  return { family: 4, text };
}

function configError(what: string, value: string, problem: string): HachiError {
  // The value came from the configuration: printed JSON-quoted so control characters stay visible.
  return new HachiError('HACHI_ERR_CONFIG', `${what}: ${JSON.stringify(value.slice(0, 100))}: ${problem}`);
}
