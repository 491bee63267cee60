// Reads the question of a DNS query a device sent to the sinkhole (what name a bot looks up is often
// its C2). Pure and total: any bytes in, a question or null out, never a throw, never a loop.

export interface DnsQuestion {
  readonly id: number;
  /** Presentation form, lowercased: labels joined by dots, bytes outside [a-z0-9-_] escaped as \DDD. */
  readonly name: string;
  readonly type: number;
  readonly class: number;
}

const HEADER_BYTES = 12;
/** RFC 1035: a name is at most 255 bytes on the wire, a label at most 63. */
const MAX_NAME_WIRE = 255;
/** Compression pointers followed at most this often (a query has no reason to use any). */
const MAX_POINTERS = 16;

/** The first question of a standard query (QR 0, opcode 0, one question or more), else null. */
export function parseDnsQuestion(packet: Uint8Array): DnsQuestion | null {
  if (packet.length < HEADER_BYTES + 5) return null;
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const flags = view.getUint16(2);
  if ((flags & 0x8000) !== 0 || ((flags >> 11) & 0x0f) !== 0) return null;
  const questions = view.getUint16(4);
  if (questions === 0 || questions > 16) return null;
  const name = readName(packet, HEADER_BYTES);
  if (name === null || name.end + 4 > packet.length) return null;
  return { id: view.getUint16(0), name: name.text, type: view.getUint16(name.end), class: view.getUint16(name.end + 2) };
}

/** Reads a (possibly compressed) name at `start`; `end` is where the question goes on. */
function readName(packet: Uint8Array, start: number): { text: string; end: number } | null {
  const labels: string[] = [];
  let offset = start;
  let end = -1;
  let wire = 1;
  let pointers = 0;
  for (;;) {
    const length = packet[offset];
    if (length === undefined) return null;
    if (length === 0) break;
    const kind = length & 0xc0;
    if (kind === 0xc0) {
      const low = packet[offset + 1];
      if (low === undefined || ++pointers > MAX_POINTERS) return null;
      if (end < 0) end = offset + 2;
      const target = ((length & 0x3f) << 8) | low;
      // Only backwards: a forward or self pointer could loop or read what is not a name yet.
      if (target >= offset) return null;
      offset = target;
      continue;
    }
    if (kind !== 0) return null; // 0x40 and 0x80 label types are obsolete or reserved
    wire += length + 1;
    if (wire > MAX_NAME_WIRE || offset + 1 + length > packet.length) return null;
    labels.push(labelText(packet.subarray(offset + 1, offset + 1 + length)));
    offset += 1 + length;
  }
  return { text: labels.length === 0 ? '.' : labels.join('.'), end: end < 0 ? offset + 1 : end };
}

function labelText(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) {
    const lower = byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte;
    const plain = (lower >= 0x61 && lower <= 0x7a) || (lower >= 0x30 && lower <= 0x39) || lower === 0x2d || lower === 0x5f;
    text += plain ? String.fromCharCode(lower) : `\\${String(byte).padStart(3, '0')}`;
  }
  return text;
}
