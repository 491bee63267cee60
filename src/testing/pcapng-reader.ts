// A small pcapng + Ethernet/IP/TCP reader for tests, written independently of src/relay/pcapng*
// (byte-by-byte, no shared code) so it can check the encoder rather than agree with it.

export interface PcapngBlock {
  readonly type: number;
  readonly offset: number;
  readonly length: number;
  readonly body: Uint8Array;
}

export interface PcapngPacket {
  /** Timestamp in the file's units (microseconds for hachi captures), as a bigint. */
  readonly ts: bigint;
  readonly frame: Uint8Array;
  readonly comments: string[];
}

export interface TcpPacket {
  readonly family: 4 | 6;
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly seq: number;
  readonly ack: number;
  /** Flags as tcpdump prints them: "S", "S.", ".", "P.", "F.", "R.". */
  readonly flags: string;
  readonly payload: Uint8Array;
  readonly ipChecksumOk: boolean;
  readonly tcpChecksumOk: boolean;
}

const u32 = (b: Uint8Array, o: number): number => ((b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16) | ((b[o + 3] ?? 0) << 24)) >>> 0;
const u16le = (b: Uint8Array, o: number): number => (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
const be16 = (b: Uint8Array, o: number): number => ((b[o] ?? 0) << 8) | (b[o + 1] ?? 0);
const be32 = (b: Uint8Array, o: number): number => ((be16(b, o) << 16) | be16(b, o + 2)) >>> 0;

/** Splits a little-endian pcapng file into blocks; throws if a length is odd, short or mismatched. */
export function readBlocks(file: Uint8Array): PcapngBlock[] {
  const blocks: PcapngBlock[] = [];
  let off = 0;
  while (off < file.length) {
    const type = u32(file, off);
    const length = u32(file, off + 4);
    if (length < 12 || length % 4 !== 0 || off + length > file.length) throw new Error(`bad block length ${length} at ${off}`);
    if (u32(file, off + length - 4) !== length) throw new Error(`trailing length differs at ${off}`);
    blocks.push({ type, offset: off, length, body: file.subarray(off + 8, off + length - 4) });
    off += length;
  }
  return blocks;
}

/** Options as [code, value] pairs, stopping at opt_endofopt. */
export function readOptions(bytes: Uint8Array): [number, Uint8Array][] {
  const out: [number, Uint8Array][] = [];
  let off = 0;
  while (off + 4 <= bytes.length) {
    const code = u16le(bytes, off);
    const len = u16le(bytes, off + 2);
    if (code === 0) break;
    out.push([code, bytes.subarray(off + 4, off + 4 + len)]);
    off += 4 + Math.ceil(len / 4) * 4;
  }
  return out;
}

export function readPackets(file: Uint8Array): PcapngPacket[] {
  return readBlocks(file)
    .filter((b) => b.type === 6)
    .map((b) => {
      const ts = (BigInt(u32(b.body, 4)) << 32n) | BigInt(u32(b.body, 8));
      const caplen = u32(b.body, 12);
      if (u32(b.body, 16) !== caplen) throw new Error('caplen differs from packet length');
      const frame = b.body.subarray(20, 20 + caplen);
      const comments = readOptions(b.body.subarray(20 + Math.ceil(caplen / 4) * 4))
        .filter(([code]) => code === 1)
        .map(([, v]) => new TextDecoder().decode(v));
      return { ts, frame, comments };
    });
}

function checksum(parts: Uint8Array[]): number {
  let sum = 0;
  let odd: number | undefined;
  for (const p of parts)
    for (const byte of p) {
      if (odd === undefined) odd = byte;
      else {
        sum += (odd << 8) | byte;
        odd = undefined;
      }
    }
  if (odd !== undefined) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(be16(bytes, i).toString(16));
  return words.join(':');
}

/** Decodes an Ethernet/IP/TCP frame, or undefined for anything else (e.g. note frames). */
export function decodeTcp(frame: Uint8Array): TcpPacket | undefined {
  const ethertype = be16(frame, 12);
  if (ethertype !== 0x0800 && ethertype !== 0x86dd) return undefined;
  const ip = frame.subarray(14);
  const v4 = ethertype === 0x0800;
  const ipLen = v4 ? ((ip[0] ?? 0) & 0x0f) * 4 : 40;
  const src = v4 ? ip.subarray(12, 16) : ip.subarray(8, 24);
  const dst = v4 ? ip.subarray(16, 20) : ip.subarray(24, 40);
  const tcpLen = v4 ? be16(ip, 2) - ipLen : be16(ip, 4);
  const tcp = ip.subarray(ipLen, ipLen + tcpLen);
  const hdr = ((tcp[12] ?? 0) >> 4) * 4;
  const f = tcp[13] ?? 0;
  const flags = `${f & 2 ? 'S' : ''}${f & 1 ? 'F' : ''}${f & 4 ? 'R' : ''}${f & 8 ? 'P' : ''}${f & 16 ? '.' : ''}`;
  const pseudo = new Uint8Array(v4 ? 12 : 40);
  pseudo.set(src, 0);
  pseudo.set(dst, src.length);
  if (v4) {
    pseudo[9] = 6;
    pseudo[10] = tcpLen >> 8;
    pseudo[11] = tcpLen & 0xff;
  } else {
    pseudo[34] = tcpLen >> 8;
    pseudo[35] = tcpLen & 0xff;
    pseudo[39] = 6;
  }
  return {
    family: v4 ? 4 : 6,
    src: ipText(src),
    dst: ipText(dst),
    srcPort: be16(tcp, 0),
    dstPort: be16(tcp, 2),
    seq: be32(tcp, 4),
    ack: be32(tcp, 8),
    flags,
    payload: tcp.subarray(hdr),
    ipChecksumOk: v4 ? checksum([ip.subarray(0, ipLen)]) === 0xffff : true,
    tcpChecksumOk: checksum([pseudo, tcp]) === 0xffff,
  };
}
