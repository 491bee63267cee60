// Per-session pcapng encoder for the raw TCP relay: turns relayed chunks into a capture with a
// synthetic handshake, segmented data, FIN/RST, that Wireshark opens. Pure: returns bytes to append.
import { parsePacketAddress, toIpv6 } from './pcapng-address.ts';
import type { BlockOption } from './pcapng-blocks.ts';
import { commentBytes, commentOption, epbSize, EPB_HEADER, fileHeader, optionsSize, toMicros, writeEpb } from './pcapng-blocks.ts';
import type { FlowSide, TcpSegment } from './pcapng-frames.ts';
import { flowSide, noteFrameLength, synOptions, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, tcpFrameLength, writeNoteFrame, writeTcpFrame } from './pcapng-frames.ts';

export interface PcapngEndpoint {
  readonly ip: string;
  readonly port: number;
}
export interface PcapngEndpoints {
  readonly client: PcapngEndpoint;
  readonly server: PcapngEndpoint;
}
export type PcapngSide = 'client' | 'server';
/** 'reset' is an alias of 'server-reset': an RST from the device side. */
export type PcapngCloseBy = 'client' | 'server' | 'reset' | 'client-reset' | 'server-reset';

export interface PcapngSessionOptions {
  /** Source of numbers in [0, 1) for the ISNs; without it they derive from the endpoints. */
  readonly random?: () => number;
  /** Extra section comments (device name, session id); the first comment always names hachi. */
  readonly comments?: readonly string[];
  /**
   * Segments up to 64 KiB (MSS 65495/65475, as on loopback or a host with segmentation offload)
   * instead of Ethernet-sized ones: a bulk transfer costs ~45 times fewer packets to encode.
   */
  readonly largeSegments?: boolean;
}

export interface PcapngSession {
  /** Section Header Block + the Ethernet Interface Description Block: the first bytes of the file. */
  header(): Uint8Array;
  /** SYN, SYN/ACK, ACK. Later calls return nothing; data() and close() open implicitly. */
  open(tsMs: number): Uint8Array;
  /** The bytes as MSS-sized segments (PSH on the last); empty chunks and calls after close give nothing. */
  data(from: PcapngSide, bytes: Uint8Array, tsMs: number): Uint8Array;
  /** FIN/ACK exchange started by one side, or a single RST/ACK. Only the first call writes. */
  close(tsMs: number, by: PcapngCloseBy): Uint8Array;
  /** A visible note (e.g. "capture cut at 100 MB"): a non-TCP frame carrying the text, also as its comment. */
  note(text: string, tsMs: number): Uint8Array;
  /** Total bytes returned so far by all methods, for the caller's size cap. */
  readonly bytesWritten: number;
  readonly packets: number;
}

const MAC_CLIENT = Uint8Array.of(2, 0, 0, 0, 0, 1);
const MAC_SERVER = Uint8Array.of(2, 0, 0, 0, 0, 2);
const MAC_NOTES = Uint8Array.of(2, 0, 0, 0, 0, 3);
const MAC_BROADCAST = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
/** Receiver ACKs once this much is in flight, far below the scaled window, like delayed ACKs would. */
const ACK_EVERY = 1 << 20;
const EMPTY = new Uint8Array(0);

interface Direction {
  readonly side: FlowSide;
  nxt: number;
  /** Highest sequence number the other side has acknowledged. */
  acked: number;
  ipId: number;
}

interface Packet {
  readonly dir: Direction;
  readonly seg: TcpSegment;
  readonly start: number;
  readonly len: number;
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`bad port ${port}`);
  return port;
}

/** FNV-1a: a stable 32-bit number from the endpoints, so captures of one session are reproducible. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function createPcapngSession(endpoints: PcapngEndpoints, options: PcapngSessionOptions = {}): PcapngSession {
  let clientAddr = parsePacketAddress(endpoints.client.ip);
  let serverAddr = parsePacketAddress(endpoints.server.ip);
  if (clientAddr.family !== serverAddr.family) {
    // Should not happen, but an IPv6 attacker relayed to an IPv4 device must still be recorded.
    clientAddr = toIpv6(clientAddr);
    serverAddr = toIpv6(serverAddr);
  }
  const cPort = checkPort(endpoints.client.port);
  const sPort = checkPort(endpoints.server.port);
  const mss = options.largeSegments ? (clientAddr.family === 4 ? 65_495 : 65_475) : clientAddr.family === 4 ? 1460 : 1440;
  const label = `${endpoints.client.ip}|${cPort}|${endpoints.server.ip}|${sPort}`;
  const isn = (who: string): number => (options.random ? Math.floor(options.random() * 0x1_0000_0000) >>> 0 : fnv1a(`${label}|${who}`));
  const make = (side: FlowSide, start: number): Direction => ({ side, nxt: start, acked: start, ipId: start & 0xffff });
  const client = make(flowSide(clientAddr, serverAddr, MAC_CLIENT, MAC_SERVER, cPort, sPort), isn('client'));
  const server = make(flowSide(serverAddr, clientAddr, MAC_SERVER, MAC_CLIENT, sPort, cPort), isn('server'));
  const other = (d: Direction): Direction => (d === client ? server : client);
  let state: 'new' | 'open' | 'closed' = 'new';
  let bytesWritten = 0;
  let packets = 0;

  const emit = (out: Uint8Array): Uint8Array => {
    bytesWritten += out.length;
    return out;
  };

  /** Lays the packets out as EPBs in one buffer: one allocation and one copy per payload byte. */
  const encode = (list: readonly Packet[], payload: Uint8Array, tsMs: number): Uint8Array => {
    const family = client.side.family;
    let total = 0;
    for (const p of list) total += epbSize(tcpFrameLength(family, p.seg.options?.length ?? 0, p.len), 0);
    const buf = new Uint8Array(total);
    const view = new DataView(buf.buffer);
    const micros = toMicros(tsMs);
    let off = 0;
    for (const p of list) {
      const frameLen = writeTcpFrame(buf, view, off + EPB_HEADER, p.dir.side, p.seg, payload, p.start, p.len);
      off = writeEpb(buf, view, off, frameLen, micros, []);
    }
    packets += list.length;
    return buf;
  };

  /** A segment from `dir` carrying nxt and acknowledging everything the other side sent. */
  const segment = (dir: Direction, flags: number, start = 0, len = 0, opts?: Uint8Array): Packet => {
    const peer = other(dir);
    const seg: TcpSegment = { seq: dir.nxt, ack: flags & TCP_ACK ? peer.nxt : 0, flags, ipId: dir.ipId, options: opts };
    dir.ipId = (dir.ipId + 1) & 0xffff;
    if (flags & TCP_ACK) peer.acked = peer.nxt;
    dir.nxt = (dir.nxt + len + (flags & (TCP_SYN | TCP_FIN) ? 1 : 0)) >>> 0;
    return { dir, seg, start, len };
  };

  const handshake = (): Packet[] => {
    state = 'open';
    const syn = synOptions(mss);
    return [segment(client, TCP_SYN, 0, 0, syn), segment(server, TCP_SYN | TCP_ACK, 0, 0, syn), segment(client, TCP_ACK)];
  };

  return {
    get bytesWritten() {
      return bytesWritten;
    },
    get packets() {
      return packets;
    },
    header() {
      const about = `hachi relay capture ${endpoints.client.ip} port ${cPort} -> ${endpoints.server.ip} port ${sPort}; Ethernet/IP/TCP headers are synthetic, payloads are the relayed bytes`;
      return emit(fileHeader([about, ...(options.comments ?? [])], 'hachi-relay'));
    },
    open(tsMs) {
      if (state !== 'new') return EMPTY;
      return emit(encode(handshake(), EMPTY, tsMs));
    },
    data(from, bytes, tsMs) {
      if (bytes.length === 0 || state === 'closed') return EMPTY;
      const list = state === 'new' ? handshake() : [];
      const dir = from === 'client' ? client : server;
      for (let start = 0; start < bytes.length; start += mss) {
        const len = Math.min(mss, bytes.length - start);
        if (((dir.nxt - dir.acked) >>> 0) + len > ACK_EVERY) list.push(segment(other(dir), TCP_ACK));
        list.push(segment(dir, start + len === bytes.length ? TCP_ACK | TCP_PSH : TCP_ACK, start, len));
      }
      return emit(encode(list, bytes, tsMs));
    },
    close(tsMs, by) {
      if (state === 'closed') return EMPTY;
      const list = state === 'new' ? handshake() : [];
      state = 'closed';
      if (by === 'client' || by === 'server') {
        const first = by === 'client' ? client : server;
        list.push(segment(first, TCP_FIN | TCP_ACK), segment(other(first), TCP_FIN | TCP_ACK), segment(first, TCP_ACK));
      } else {
        list.push(segment(by === 'client-reset' ? client : server, TCP_RST | TCP_ACK));
      }
      return emit(encode(list, EMPTY, tsMs));
    },
    note(text, tsMs) {
      const bytes = commentBytes(text);
      const opts: BlockOption[] = [commentOption(text)];
      const frameLen = noteFrameLength(bytes.length);
      const buf = new Uint8Array(epbSize(frameLen, optionsSize(opts)));
      const view = new DataView(buf.buffer);
      writeNoteFrame(buf, view, EPB_HEADER, MAC_BROADCAST, MAC_NOTES, bytes);
      writeEpb(buf, view, 0, frameLen, toMicros(tsMs), opts);
      packets++;
      return emit(buf);
    },
  };
}
