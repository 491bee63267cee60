// Unique, lexicographically sortable event and session ids (ULID layout: 48-bit time + 80-bit random).
// Monotonic within one generator so ids from one process sort in emission order.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export type IdGenerator = () => string;

export interface IdSources {
  readonly now: () => number;
  readonly randomBytes: (size: number) => Uint8Array;
}

/** A monotonic ULID generator; `sources` are injected so tests can fix time and randomness. */
export function createIdGenerator(sources: IdSources): IdGenerator {
  let lastTime = -1;
  const lastRandom = new Uint8Array(10);
  return () => {
    const time = sources.now();
    if (time > lastTime) {
      lastTime = time;
      lastRandom.set(sources.randomBytes(10));
    } else {
      incrementRandom(lastRandom);
    }
    return encodeTime(lastTime) + encodeRandom(lastRandom);
  };
}

function encodeTime(time: number): string {
  let out = '';
  let t = time;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32]! + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function encodeRandom(bytes: Uint8Array): string {
  // 80 bits -> 16 base32 characters, five bits at a time.
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >> bits) & 31]!;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

function incrementRandom(bytes: Uint8Array): void {
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i]! < 255) {
      bytes[i]! += 1;
      return;
    }
    bytes[i] = 0;
  }
}

/** Time part of a ULID, in ms since the epoch. */
export function idTime(id: string): number {
  let t = 0;
  for (const ch of id.slice(0, 10)) t = t * 32 + ALPHABET.indexOf(ch);
  return t;
}
