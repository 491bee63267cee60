// Pure encoding and decoding of TFTP packets (RFC 1350, with RFC 2347/2348/2349 options and OACK).
// Decoding never throws: anything a hostile server can send maps to a packet or to 'malformed'.

export const TFTP_OPCODE = { rrq: 1, wrq: 2, data: 3, ack: 4, error: 5, oack: 6 } as const;

/** RFC 1350 error codes (8 is RFC 2347's option refusal). */
export const TFTP_ERROR = {
  notDefined: 0,
  fileNotFound: 1,
  accessViolation: 2,
  diskFull: 3,
  illegalOperation: 4,
  unknownTid: 5,
  fileExists: 6,
  noSuchUser: 7,
  optionRefused: 8,
} as const;

/** Option names are case-insensitive on the wire; decoded names are lower-cased. */
export type TftpOptions = ReadonlyMap<string, string>;

export type TftpPacket =
  | { readonly kind: 'rrq' | 'wrq'; readonly file: string; readonly mode: string; readonly options: TftpOptions }
  | { readonly kind: 'data'; readonly block: number; readonly data: Uint8Array }
  | { readonly kind: 'ack'; readonly block: number }
  | { readonly kind: 'error'; readonly code: number; readonly message: string }
  | { readonly kind: 'oack'; readonly options: TftpOptions }
  | { readonly kind: 'malformed'; readonly reason: string };

/** RFC 2348 allows 8..65464; 65464 keeps a DATA packet inside one IPv4 UDP datagram. */
export const TFTP_MIN_BLOCK = 8;
export const TFTP_MAX_BLOCK = 65464;
/** Largest datagram worth decoding: a DATA packet of the largest block size. */
export const TFTP_MAX_PACKET = TFTP_MAX_BLOCK + 4;
/** Requests longer than a default block are refused by many servers, so encoders stay under it. */
const MAX_REQUEST = 512;

const utf8 = new TextEncoder();
// Non-fatal: invalid UTF-8 from a hostile server becomes U+FFFD instead of an exception.
const text = new TextDecoder('utf-8', { fatal: false });

/** A read or write request; null when a field contains NUL or is empty, or the packet would be too long. */
export function encodeRequest(kind: 'rrq' | 'wrq', file: string, mode = 'octet', options: TftpOptions = new Map()): Uint8Array | null {
  const fields = [file, mode];
  for (const [name, value] of options) fields.push(name, value);
  const parts = fields.map((field) => utf8.encode(field));
  // A NUL would end the field early and smuggle extra fields (or options) into the request.
  if (parts.some((part) => part.length === 0 || part.includes(0))) return null;
  const length = 2 + parts.reduce((sum, part) => sum + part.length + 1, 0);
  if (length > MAX_REQUEST) return null;
  const out = new Uint8Array(length);
  writeU16(out, 0, TFTP_OPCODE[kind]);
  let at = 2;
  for (const part of parts) {
    out.set(part, at);
    at += part.length + 1; // the zero byte is already there
  }
  return out;
}

export function encodeData(block: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + data.length);
  writeU16(out, 0, TFTP_OPCODE.data);
  writeU16(out, 2, block);
  out.set(data, 4);
  return out;
}

export function encodeAck(block: number): Uint8Array {
  const out = new Uint8Array(4);
  writeU16(out, 0, TFTP_OPCODE.ack);
  writeU16(out, 2, block);
  return out;
}

/** An ERROR packet; the message is cut to keep the packet small and NULs are dropped. */
export function encodeError(code: number, message: string): Uint8Array {
  const body = utf8.encode(message.replaceAll('\0', '')).subarray(0, 200);
  const out = new Uint8Array(5 + body.length);
  writeU16(out, 0, TFTP_OPCODE.error);
  writeU16(out, 2, code);
  out.set(body, 4);
  return out;
}

/** An OACK (servers send it; the codec offers it so tests can play a server). */
export function encodeOack(options: TftpOptions): Uint8Array {
  const parts = [...options].flat().map((field) => utf8.encode(field.replaceAll('\0', '')));
  const out = new Uint8Array(2 + parts.reduce((sum, part) => sum + part.length + 1, 0));
  writeU16(out, 0, TFTP_OPCODE.oack);
  let at = 2;
  for (const part of parts) {
    out.set(part, at);
    at += part.length + 1;
  }
  return out;
}

export function decodePacket(packet: Uint8Array): TftpPacket {
  if (packet.length < 2) return malformed('shorter than an opcode');
  if (packet.length > TFTP_MAX_PACKET) return malformed(`${packet.length} bytes is larger than any TFTP packet`);
  const opcode = readU16(packet, 0);
  switch (opcode) {
    case TFTP_OPCODE.rrq:
    case TFTP_OPCODE.wrq: {
      const fields = zeroTerminated(packet.subarray(2));
      if (fields === null || fields.length < 2) return malformed('request without file name and mode');
      const [file = '', mode = '', ...rest] = fields;
      const options = optionMap(rest);
      if (options === null) return malformed('option without a value');
      return { kind: opcode === TFTP_OPCODE.rrq ? 'rrq' : 'wrq', file, mode: mode.toLowerCase(), options };
    }
    case TFTP_OPCODE.data:
      if (packet.length < 4) return malformed('DATA without a block number');
      return { kind: 'data', block: readU16(packet, 2), data: packet.subarray(4) };
    case TFTP_OPCODE.ack:
      if (packet.length !== 4) return malformed(`ACK of ${packet.length} bytes`);
      return { kind: 'ack', block: readU16(packet, 2) };
    case TFTP_OPCODE.error: {
      if (packet.length < 4) return malformed('ERROR without a code');
      // Many servers forget the final NUL; the message is whatever comes before the first one.
      const rest = packet.subarray(4);
      const end = rest.indexOf(0);
      return { kind: 'error', code: readU16(packet, 2), message: text.decode(end === -1 ? rest : rest.subarray(0, end)) };
    }
    case TFTP_OPCODE.oack: {
      const fields = zeroTerminated(packet.subarray(2));
      const options = fields === null ? null : optionMap(fields);
      if (options === null) return malformed('OACK options are not name/value pairs');
      return { kind: 'oack', options };
    }
    default:
      return malformed(`unknown opcode ${opcode}`);
  }
}

/** Zero-terminated strings filling the whole buffer; null when the last one is unterminated. */
function zeroTerminated(bytes: Uint8Array): string[] | null {
  const fields: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(0, start);
    if (end === -1) return null;
    fields.push(text.decode(bytes.subarray(start, end)));
    start = end + 1;
  }
  return fields;
}

function optionMap(fields: readonly string[]): Map<string, string> | null {
  if (fields.length % 2 !== 0) return null;
  const options = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) options.set((fields[i] ?? '').toLowerCase(), fields[i + 1] ?? '');
  return options;
}

function malformed(reason: string): TftpPacket {
  return { kind: 'malformed', reason };
}

function readU16(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}

function writeU16(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = (value >>> 8) & 0xff;
  bytes[at + 1] = value & 0xff;
}
