// Turns the address strings a relay sees (IPv4, IPv6, IPv4-mapped IPv6) into the raw bytes the
// synthetic IP headers of a pcapng capture need. Pure: no DNS, no sockets.

export interface PacketAddress {
  readonly family: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6, network order. */
  readonly bytes: Uint8Array;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9a-f]{1,4}$/i;

function parseIpv4(text: string): Uint8Array | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return Uint8Array.from(parts);
}

function parseHextets(text: string): number[] | undefined {
  if (text === '') return [];
  const words: number[] = [];
  for (const part of text.split(':')) {
    if (!HEXTET.test(part)) return undefined;
    words.push(parseInt(part, 16));
  }
  return words;
}

function parseIpv6(input: string): Uint8Array | undefined {
  // A zone ("fe80::1%eth0") names a host interface, not part of the address on the wire.
  let text = input.replace(/%.*$/, '');
  const lastColon = text.lastIndexOf(':');
  if (lastColon < 0) return undefined;
  if (text.includes('.', lastColon)) {
    // A dotted IPv4 tail ("::ffff:1.2.3.4") is two hextets written another way.
    const tail = parseIpv4(text.slice(lastColon + 1));
    if (!tail) return undefined;
    const hex = (hi: number, lo: number): string => ((hi << 8) | lo).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hex(tail[0] ?? 0, tail[1] ?? 0)}:${hex(tail[2] ?? 0, tail[3] ?? 0)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseHextets(halves[0] ?? '');
  const rest = halves.length === 2 ? parseHextets(halves[1] ?? '') : [];
  if (!head || !rest) return undefined;
  const given = head.length + rest.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const words = [...head, ...new Array<number>(8 - given).fill(0), ...rest];
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[i * 2] = w >> 8;
    out[i * 2 + 1] = w & 0xff;
  });
  return out;
}

function isMapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** Parses an address; IPv4-mapped IPv6 (::ffff:1.2.3.4) comes back as IPv4. Throws on garbage. */
export function parsePacketAddress(text: string): PacketAddress {
  const v4 = parseIpv4(text);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = parseIpv6(text);
  if (!v6) throw new RangeError(`not an IP address: ${JSON.stringify(text.slice(0, 64))}`);
  if (isMapped(v6)) return { family: 4, bytes: v6.slice(12) };
  return { family: 6, bytes: v6 };
}

/** Lifts an IPv4 address into IPv6 (::ffff:a.b.c.d) so two endpoints can share one family. */
export function toIpv6(address: PacketAddress): PacketAddress {
  if (address.family === 6) return address;
  const bytes = new Uint8Array(16);
  bytes[10] = 0xff;
  bytes[11] = 0xff;
  bytes.set(address.bytes, 12);
  return { family: 6, bytes };
}
