// Reads an SSH client's first bytes (identification line, then its unencrypted KEXINIT packet) and
// gives its algorithm lists and HASSH fingerprint. Pure and incremental: feed chunks as they come.
import { createHash } from 'node:crypto';

export interface ClientKexInit {
  /** The identification line without CR LF ("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"). */
  readonly ident: string;
  readonly kex: readonly string[];
  readonly hostKey: readonly string[];
  readonly ciphers: readonly string[];
  readonly macs: readonly string[];
  readonly compression: readonly string[];
}

export type HelloResult =
  | { readonly kind: 'more' }
  | { readonly kind: 'done'; readonly hello: ClientKexInit }
  /** Not SSH, or a packet no client sends first: the fingerprint is given up, the bytes still flow. */
  | { readonly kind: 'invalid'; readonly reason: string };

export interface ClientHelloReader {
  push(bytes: Uint8Array): HelloResult;
}

/** RFC 4253: the identification line is at most 255 bytes with CR LF. */
const MAX_LINE = 255;
/** Lines a server may send before its identification; a client sends none, but tolerate a few. */
const MAX_PRE_LINES = 8;
/** RFC 4253 section 6.1: packets up to 35000 bytes must be accepted; a KEXINIT is far smaller. */
const MAX_PACKET = 35_000;
const SSH_MSG_KEXINIT = 20;

export function createClientHelloReader(): ClientHelloReader {
  let held = new Uint8Array(0);
  let ident: string | null = null;
  let lines = 0;
  let result: HelloResult = { kind: 'more' };

  const step = (): HelloResult => {
    while (ident === null) {
      const lf = held.indexOf(0x0a);
      if (lf < 0) return held.length > MAX_LINE ? { kind: 'invalid', reason: 'identification line too long' } : { kind: 'more' };
      if (lf + 1 > MAX_LINE) return { kind: 'invalid', reason: 'identification line too long' };
      const line = Buffer.from(held.subarray(0, lf)).toString('latin1').replace(/\r$/, '');
      held = held.subarray(lf + 1);
      if (line.startsWith('SSH-')) ident = line;
      else if (++lines > MAX_PRE_LINES) return { kind: 'invalid', reason: 'no identification line' };
    }
    if (held.length < 5) return { kind: 'more' };
    const view = new DataView(held.buffer, held.byteOffset, held.byteLength);
    const length = view.getUint32(0);
    if (length < 5 || length > MAX_PACKET) return { kind: 'invalid', reason: `packet length ${length}` };
    if (held.length < 4 + length) return { kind: 'more' };
    const padding = held[4]!;
    if (padding + 1 > length) return { kind: 'invalid', reason: 'padding longer than the packet' };
    const payload = held.subarray(5, 4 + length - padding);
    const lists = parseKexInit(payload);
    if (lists === null) return { kind: 'invalid', reason: 'first packet is not a well-formed KEXINIT' };
    return { kind: 'done', hello: { ident, ...lists } };
  };

  return {
    push(bytes) {
      if (result.kind !== 'more') return result;
      const joined = new Uint8Array(held.length + bytes.length);
      joined.set(held);
      joined.set(bytes, held.length);
      held = joined;
      result = step();
      if (result.kind !== 'more') held = new Uint8Array(0);
      return result;
    },
  };
}

/** The client→server lists of a KEXINIT payload (message byte, cookie, ten name-lists), or null. */
export function parseKexInit(payload: Uint8Array): Omit<ClientKexInit, 'ident'> | null {
  if (payload.length < 17 || payload[0] !== SSH_MSG_KEXINIT) return null;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  let at = 17;
  const lists: string[][] = [];
  for (let i = 0; i < 10; i++) {
    if (at + 4 > payload.length) return null;
    const length = view.getUint32(at);
    at += 4;
    if (length > payload.length - at) return null;
    const text = Buffer.from(payload.subarray(at, at + length)).toString('latin1');
    at += length;
    lists.push(text === '' ? [] : text.split(','));
  }
  const [kex, hostKey, ciphers, , macs, , compression] = lists;
  return { kex: kex!, hostKey: hostKey!, ciphers: ciphers!, macs: macs!, compression: compression! };
}

/** HASSH (Salesforce): the client's kex;ciphers;macs;compression lists and their MD5. */
export function hassh(hello: Omit<ClientKexInit, 'ident'>): { readonly hassh: string; readonly algorithms: string } {
  const algorithms = [hello.kex, hello.ciphers, hello.macs, hello.compression].map((l) => l.join(',')).join(';');
  return { hassh: createHash('md5').update(algorithms, 'latin1').digest('hex'), algorithms };
}
