// SFTP v3 packets as an OpenSSH client and server send them, built for tests of the relay's SFTP
// observer: one message per packet, tagged with who sends it.

export const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
export const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};
export const str = (s: string | Uint8Array): Buffer => {
  const b = Buffer.from(s);
  return Buffer.concat([u32(b.length), b]);
};
export const packet = (type: number, ...fields: Buffer[]): Buffer => {
  const body = Buffer.concat([Buffer.from([type]), ...fields]);
  return Buffer.concat([u32(body.length), body]);
};

/** One message of a conversation: 'c' from the attacker's client, 'd' from the device. */
export type Message = readonly ['c' | 'd', Buffer];
export const init: Message[] = [['c', packet(1, u32(3))], ['d', packet(2, u32(3))]];
export const open = (id: number, path: string, flags: number, handle: string | null, mode = 0o644): Message[] => [
  ['c', packet(3, u32(id), str(path), u32(flags), u32(4), u32(mode))],
  ['d', handle === null ? packet(101, u32(id), u32(2), str('No such file'), str('')) : packet(102, u32(id), str(handle))],
];
export const write = (id: number, handle: string, offset: number, data: Buffer): Message => ['c', packet(6, u32(id), str(handle), u64(offset), str(data))];
export const ok = (id: number): Message => ['d', packet(101, u32(id), u32(0), str('Success'), str(''))];
export const close = (id: number, handle: string): Message[] => [['c', packet(4, u32(id), str(handle))], ok(id)];
export const WRITE_CREAT_TRUNC = 0x2 | 0x8 | 0x10;
