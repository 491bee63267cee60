// Synthetic Ethernet + IPv4/IPv6 + TCP frames for a relay capture, written in place into a block
// buffer, with real IP and TCP checksums so Wireshark and tcpdump report them as correct.
import type { PacketAddress } from './pcapng-address.ts';

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

const ETHERNET = 14;
const TCP_HEADER = 20;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
/** IEEE 802 "local experimental" ethertype: carries analyst notes without touching TCP analysis. */
export const ETHERTYPE_NOTE = 0x88b5;
const PROTO_TCP = 6;
/** Advertised window; with window scale 7 in the handshake it stands for ~8 MB in flight. */
export const TCP_WINDOW = 65535;
export const WINDOW_SCALE = 7;

/** One direction of the conversation: everything constant across its packets, computed once. */
export interface FlowSide {
  readonly family: 4 | 6;
  readonly srcMac: Uint8Array;
  readonly dstMac: Uint8Array;
  readonly src: Uint8Array;
  readonly dst: Uint8Array;
  readonly srcPort: number;
  readonly dstPort: number;
  /** One's complement sum of both addresses and the protocol: the constant part of the pseudo-header. */
  readonly pseudoSum: number;
}

export interface TcpSegment {
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  /** TCP options, length a multiple of 4 (only the handshake has any). */
  readonly options?: Uint8Array;
  readonly ipId: number;
}

export function ipHeaderLength(family: 4 | 6): number {
  return family === 4 ? 20 : 40;
}

/** Sum of big-endian 16-bit words of buf[off, off+len), unfolded; 32-bit reads halve the loop. */
export function onesSum(view: DataView, off: number, len: number): number {
  let sum = 0;
  const end = off + len;
  const end4 = off + (len & ~3);
  let i = off;
  for (; i < end4; i += 4) {
    const w = view.getUint32(i);
    sum += (w >>> 16) + (w & 0xffff);
  }
  if (i + 2 <= end) {
    sum += view.getUint16(i);
    i += 2;
  }
  if (i < end) sum += view.getUint8(i) << 8;
  return sum;
}

function fold(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

export function flowSide(from: PacketAddress, to: PacketAddress, srcMac: Uint8Array, dstMac: Uint8Array, srcPort: number, dstPort: number): FlowSide {
  const both = new Uint8Array(from.bytes.length * 2);
  both.set(from.bytes, 0);
  both.set(to.bytes, from.bytes.length);
  const pseudoSum = onesSum(new DataView(both.buffer), 0, both.length) + PROTO_TCP;
  return { family: from.family, srcMac, dstMac, src: from.bytes, dst: to.bytes, srcPort, dstPort, pseudoSum };
}

export function tcpFrameLength(family: 4 | 6, optionsLen: number, payloadLen: number): number {
  return ETHERNET + ipHeaderLength(family) + TCP_HEADER + optionsLen + payloadLen;
}

function writeEthernet(buf: Uint8Array, view: DataView, off: number, dst: Uint8Array, src: Uint8Array, type: number): void {
  buf.set(dst, off);
  buf.set(src, off + 6);
  view.setUint16(off + 12, type);
}

/**
 * Writes one TCP frame at `off`, payload copied from payload[start, start+len); returns its length.
 * The buffer must be zero-filled (reserved bits and urgent pointer are left as found).
 */
export function writeTcpFrame(buf: Uint8Array, view: DataView, off: number, side: FlowSide, seg: TcpSegment, payload: Uint8Array, start: number, len: number): number {
  const opts = seg.options?.length ?? 0;
  const ipLen = ipHeaderLength(side.family);
  const tcpLen = TCP_HEADER + opts + len;
  writeEthernet(buf, view, off, side.dstMac, side.srcMac, side.family === 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6);
  const ip = off + ETHERNET;
  if (side.family === 4) {
    view.setUint8(ip, 0x45);
    view.setUint16(ip + 2, ipLen + tcpLen);
    view.setUint16(ip + 4, seg.ipId & 0xffff);
    view.setUint16(ip + 6, 0x4000); // DF, as Linux sets on TCP
    view.setUint8(ip + 8, 64);
    view.setUint8(ip + 9, PROTO_TCP);
    buf.set(side.src, ip + 12);
    buf.set(side.dst, ip + 16);
    view.setUint16(ip + 10, ~fold(onesSum(view, ip, 20)) & 0xffff);
  } else {
    view.setUint32(ip, 0x60000000);
    view.setUint16(ip + 4, tcpLen);
    view.setUint8(ip + 6, PROTO_TCP);
    view.setUint8(ip + 7, 64);
    buf.set(side.src, ip + 8);
    buf.set(side.dst, ip + 24);
  }
  const tcp = ip + ipLen;
  view.setUint16(tcp, side.srcPort);
  view.setUint16(tcp + 2, side.dstPort);
  view.setUint32(tcp + 4, seg.seq >>> 0);
  view.setUint32(tcp + 8, seg.ack >>> 0);
  view.setUint8(tcp + 12, ((TCP_HEADER + opts) / 4) << 4);
  view.setUint8(tcp + 13, seg.flags);
  view.setUint16(tcp + 14, TCP_WINDOW);
  if (seg.options) buf.set(seg.options, tcp + TCP_HEADER);
  if (len > 0) buf.set(payload.subarray(start, start + len), tcp + TCP_HEADER + opts);
  const sum = side.pseudoSum + tcpLen + onesSum(view, tcp, tcpLen);
  view.setUint16(tcp + 16, ~fold(sum) & 0xffff);
  return ETHERNET + ipLen + tcpLen;
}

/** A non-IP frame carrying a note's text, so it shows in both Wireshark and `tcpdump -X`. */
export function writeNoteFrame(buf: Uint8Array, view: DataView, off: number, dstMac: Uint8Array, srcMac: Uint8Array, text: Uint8Array): number {
  writeEthernet(buf, view, off, dstMac, srcMac, ETHERTYPE_NOTE);
  buf.set(text, off + ETHERNET);
  return ETHERNET + text.length;
}

export function noteFrameLength(textLen: number): number {
  return ETHERNET + textLen;
}

/** SYN options: MSS, then NOP + window scale, so the window does not fill on long one-way streams. */
export function synOptions(mss: number): Uint8Array {
  return Uint8Array.of(2, 4, mss >> 8, mss & 0xff, 1, 3, 3, WINDOW_SCALE);
}
