// Builds DNS query packets for the sinkhole tests (a device asking for its C2's name).

/** A standard query for `name` (type A by default), recursion desired. */
export function encodeDnsQuery(id: number, name: string, type = 1): Uint8Array {
  const labels = name === '.' || name === '' ? [] : name.split('.');
  const parts = labels.map((l) => Buffer.concat([Buffer.from([Buffer.byteLength(l)]), Buffer.from(l)]));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id & 0xffff, 0);
  header.writeUInt16BE(0x0100, 2); // recursion desired
  header.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(type, 1);
  tail.writeUInt16BE(1, 3);
  return new Uint8Array(Buffer.concat([header, ...parts, tail]));
}
