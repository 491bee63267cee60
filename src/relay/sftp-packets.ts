// SFTP v3 framing (draft-ietf-secsh-filexfer-02): whole packets out of a byte stream cut anywhere,
// and a bounds-checked reader of their fields. Pure; a packet is held in memory only up to a cap.

export interface SftpPacket {
  readonly type: number;
  /** What follows the type byte (the request id first, except for INIT and VERSION). */
  readonly body: Uint8Array;
}

export interface SftpFramer {
  push(bytes: Uint8Array): SftpPacket[];
  /** A length of 0 or over the cap was read: the stream is no SFTP (or no longer in step); nothing more is read. */
  readonly broken: boolean;
}

export function createSftpFramer(maxPacketBytes: number): SftpFramer {
  const header = new Uint8Array(4);
  let headerFill = 0;
  let packet: Uint8Array | null = null;
  let packetFill = 0;
  let broken = false;

  return {
    push(bytes) {
      const out: SftpPacket[] = [];
      let at = 0;
      while (at < bytes.length && !broken) {
        if (packet === null) {
          header[headerFill++] = bytes[at++]!;
          if (headerFill < 4) continue;
          headerFill = 0;
          const length = new DataView(header.buffer).getUint32(0);
          // OpenSSH's sftp-server ends the session on a packet over 256 KiB, so nothing real is lost here.
          if (length === 0 || length > maxPacketBytes) {
            broken = true;
            break;
          }
          packet = new Uint8Array(length);
          packetFill = 0;
          continue;
        }
        const take = Math.min(packet.length - packetFill, bytes.length - at);
        packet.set(bytes.subarray(at, at + take), packetFill);
        packetFill += take;
        at += take;
        if (packetFill === packet.length) {
          out.push({ type: packet[0]!, body: packet.subarray(1) });
          packet = null;
        }
      }
      return out;
    },
    get broken() {
      return broken;
    },
  };
}

/** Thrown by the reader when a field runs past the packet; caught by whoever reads a packet. */
export class SftpTruncated extends Error {}

export interface SftpFields {
  u32(): number;
  /** A uint64 as a number (exact up to 2^53; larger values are only ever compared with limits). */
  u64(): number;
  bytes(): Uint8Array;
  /** A string field as text (UTF-8; paths in SFTP v3 are bytes, usually UTF-8). */
  text(): string;
  readonly rest: number;
}

export function readFields(body: Uint8Array): SftpFields {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let at = 0;
  const need = (n: number): void => {
    if (at + n > body.length) throw new SftpTruncated('field past the end of the packet');
  };
  const u32 = (): number => {
    need(4);
    const value = view.getUint32(at);
    at += 4;
    return value;
  };
  const bytes = (): Uint8Array => {
    const length = u32();
    need(length);
    const value = body.subarray(at, at + length);
    at += length;
    return value;
  };
  return {
    u32,
    u64: () => u32() * 2 ** 32 + u32(),
    bytes,
    text: () => Buffer.from(bytes()).toString('utf8'),
    get rest() {
      return body.length - at;
    },
  };
}

/** The ATTRS of a request, with the fields a recording cares about. */
export interface SftpAttrs {
  readonly size?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly permissions?: number;
}

export function readAttrs(fields: SftpFields): SftpAttrs {
  const flags = fields.u32();
  const size = flags & 0x1 ? fields.u64() : undefined;
  const owner = flags & 0x2 ? { uid: fields.u32(), gid: fields.u32() } : {};
  const permissions = flags & 0x4 ? fields.u32() : undefined;
  // Times and extended pairs follow; nothing after them is read, so they are left alone.
  return { ...(size === undefined ? {} : { size }), ...owner, ...(permissions === undefined ? {} : { permissions }) };
}

/** "mode=0755 uid=0 gid=0 size=12": the attributes a SETSTAT or MKDIR asked for. */
export function describeAttrs(attrs: SftpAttrs): string {
  const parts: string[] = [];
  if (attrs.permissions !== undefined) parts.push(`mode=${(attrs.permissions & 0o7777).toString(8).padStart(4, '0')}`);
  if (attrs.uid !== undefined) parts.push(`uid=${attrs.uid} gid=${attrs.gid ?? 0}`);
  if (attrs.size !== undefined) parts.push(`size=${attrs.size}`);
  return parts.join(' ');
}
