// The one place hachi reaches into ssh2 1.17's internals, so a persona's sshd sends its own KEXINIT:
// ssh2 has no option to drop kex-strict-s-v00@openssh.com or its EXT_INFO, or to advertise names it
// cannot negotiate. Every internal used is shape-checked; ssh2-kexinit-patch.test.ts fails if they change.
import { createRequire } from 'node:module';
import type { Connection, Server } from 'ssh2';
import type { SshKexInitLists } from '../../core/ssh-persona.ts';

/** What ssh2 can actually negotiate (lib/protocol/constants.js SUPPORTED_*). */
export interface Ssh2Supported {
  readonly kex: readonly string[];
  readonly serverHostKey: readonly string[];
  readonly ciphers: readonly string[];
  readonly macs: readonly string[];
  readonly compression: readonly string[];
}

interface ListEntry { array: string[]; buffer: Buffer }
/** ssh2's KexInit (lib/protocol/kex.js): `lists.all` is what goes on the wire, `.array`s are negotiated. */
interface KexInitShape {
  lists: { kex: ListEntry; serverHostKey: ListEntry; cs: Record<'cipher' | 'mac' | 'compress', ListEntry>; sc: Record<'cipher' | 'mac' | 'compress', ListEntry>; all: Buffer };
}
/** The parts of ssh2's Protocol (lib/protocol/Protocol.js) a persona adjusts per connection. */
interface ProtocolShape {
  _offer: unknown;
  /** undefined until the first KEXINIT pair; ssh2 then sets it from the *client's* list alone. */
  _strictMode: boolean | undefined;
  _onHandshakeComplete: (...args: unknown[]) => void;
  _kex?: { remoteExtInfoEnabled?: boolean };
  _packetRW: { write: { allocStart: number; alloc: (size: number) => Buffer; finalize: (packet: Buffer) => Buffer } };
  _cipher: { encrypt: (packet: Buffer) => void };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
/** ssh2's package.json has no "exports", so its lib/ files can be required by path. */
const ssh2Internal = (file: string): unknown => createRequire(import.meta.url)(`ssh2/lib/protocol/${file}`);

export function ssh2Supported(): Ssh2Supported {
  const c = ssh2Internal('constants.js');
  if (!isObject(c)) throw new Error('ssh2 internals changed: lib/protocol/constants.js');
  const list = (name: string): readonly string[] => {
    const v = c[name];
    if (!isStringArray(v)) throw new Error(`ssh2 internals changed: constants.${name} is not a list`);
    return v;
  };
  return {
    kex: list('SUPPORTED_KEX'),
    serverHostKey: list('SUPPORTED_SERVER_HOST_KEY'),
    ciphers: list('SUPPORTED_CIPHER'),
    macs: list('SUPPORTED_MAC'),
    compression: list('SUPPORTED_COMPRESSION'),
  };
}

function isEntry(v: unknown): v is ListEntry {
  return isObject(v) && isStringArray(v['array']) && Buffer.isBuffer(v['buffer']);
}

function isKexInit(v: unknown): v is KexInitShape {
  if (!isObject(v) || !isObject(v['lists'])) return false;
  const l = v['lists'];
  const dir = (d: unknown): boolean => isObject(d) && isEntry(d['cipher']) && isEntry(d['mac']) && isEntry(d['compress']);
  return isEntry(l['kex']) && isEntry(l['serverHostKey']) && dir(l['cs']) && dir(l['sc']) && Buffer.isBuffer(l['all']) && typeof v['copyAllTo'] === 'function';
}

/**
 * An ssh2 KexInit whose wire bytes are `advertised` (the real server's lists, exactly) while ssh2
 * negotiates only from `negotiable` (the subset it implements): a client choosing a name ssh2 lacks
 * gets a clean "no matching algorithm" instead of a crash.
 */
export function buildOffer(advertised: SshKexInitLists, negotiable: SshKexInitLists): object {
  const kexModule = ssh2Internal('kex.js');
  const ctor = isObject(kexModule) ? kexModule['KexInit'] : undefined;
  if (typeof ctor !== 'function') throw new Error('ssh2 internals changed: kex.js KexInit');
  const direction = (l: SshKexInitLists) => ({ cipher: [...l.ciphers], mac: [...l.macs], compress: [...l.compression], lang: [] });
  const offer: unknown = Reflect.construct(ctor, [{ kex: [...advertised.kex], serverHostKey: [...advertised.serverHostKey], cs: direction(advertised), sc: direction(advertised) }]);
  if (!isKexInit(offer)) throw new Error('ssh2 internals changed: KexInit lists');
  offer.lists.kex.array = [...negotiable.kex];
  offer.lists.serverHostKey.array = [...negotiable.serverHostKey];
  for (const d of [offer.lists.cs, offer.lists.sc]) {
    d.cipher.array = [...negotiable.ciphers];
    d.mac.array = [...negotiable.macs];
    d.compress.array = [...negotiable.compression];
  }
  return offer;
}

function isProtocol(v: unknown): v is ProtocolShape {
  if (!isObject(v) || !isObject(v['_offer']) || typeof v['_onHandshakeComplete'] !== 'function' || !('_strictMode' in v)) return false;
  const rw = v['_packetRW'];
  return isObject(rw) && isObject(rw['write']) && isObject(v['_cipher']);
}

const SSH_MSG_EXT_INFO = 7;

/** RFC 8308 EXT_INFO with the one extension OpenSSH 7.x sends, built the way ssh2 builds its own. */
function sendServerSigAlgs(proto: ProtocolShape, algorithms: readonly string[]): void {
  const name = Buffer.from('server-sig-algs', 'latin1');
  const value = Buffer.from(algorithms.join(','), 'latin1');
  const write = proto._packetRW.write;
  const p = write.allocStart;
  const packet = write.alloc(1 + 4 + 4 + name.length + 4 + value.length);
  packet[p] = SSH_MSG_EXT_INFO;
  packet.writeUInt32BE(1, p + 1);
  packet.writeUInt32BE(name.length, p + 5);
  name.copy(packet, p + 9);
  packet.writeUInt32BE(value.length, p + 9 + name.length);
  value.copy(packet, p + 13 + name.length);
  proto._cipher.encrypt(write.finalize(packet));
}

/**
 * Per connection, before ssh2 sends its KEXINIT (it does so right after the 'connection' event):
 * swap in the persona's offer, turn strict kex off where the persona lacks it, and replace ssh2's EXT_INFO (fixed list, sent to every ext-info-c
 * client) with the persona's, or none. A connection whose internals do not match is closed rather
 * than shown with ssh2's own lists.
 */
export function adoptOffer(server: Server, offer: object, strictKex: boolean, serverSigAlgs: readonly string[] | null): void {
  server.prependListener('connection', (client: Connection) => {
    const proto: unknown = Reflect.get(client, '_protocol');
    if (!isProtocol(proto)) {
      client.end();
      return;
    }
    proto._offer = offer;
    // ssh2 enables strict kex whenever the client offers kex-strict-c-v00 (it assumes it always sends
    // kex-strict-s-v00): without this the sequence numbers reset at NEWKEYS on one side only.
    if (!strictKex) proto._strictMode = false;
    const complete = proto._onHandshakeComplete;
    let first = true;
    proto._onHandshakeComplete = (...args: unknown[]) => {
      const kex = proto._kex;
      const clientWants = kex?.remoteExtInfoEnabled === true;
      if (kex) kex.remoteExtInfoEnabled = false;
      if (first && clientWants && serverSigAlgs !== null) sendServerSigAlgs(proto, serverSigAlgs);
      first = false;
      complete(...args);
    };
  });
}
