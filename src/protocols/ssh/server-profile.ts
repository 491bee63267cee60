// Turns a persona's SSH server (core SshPersona) into an ssh2 Server that shows that product: its
// identification line, its KEXINIT lists in its order, no extras, and its HASSH server fingerprint.
import ssh2 from 'ssh2';
import type { Algorithms, CipherAlgorithm, CompressionAlgorithm, KexAlgorithm, MacAlgorithm, Server, ServerConfig, ServerHostKeyAlgorithm } from 'ssh2';
import type { SshKexInitLists, SshPersona } from '../../core/ssh-persona.ts';
import { hassh } from './kexinit.ts';
import { adoptOffer, buildOffer, ssh2Supported } from './ssh2-kexinit-patch.ts';

/**
 * What ssh2 1.17 cannot reproduce, found against the shipped personas:
 * - 3des-ctr (dropbear), umac-64/128 and their -etm forms (OpenSSH): ssh2 has no implementation;
 *   they are still advertised (scanners see the real list) but never negotiated, so a client that
 *   offers only those is refused with "no matching algorithm" where the real server would accept.
 * - kexguess2@matt.ucc.asn.au (dropbear): a marker, advertised; ssh2 applies the RFC 4253 guess
 *   rule, not dropbear's kexguess2 rule, to a dropbear client's guessed first packet.
 * - ssh-dss host keys: ssh2 can serve them but cannot generate them; personas use no DSS key.
 * - kex-strict-s-v00@openssh.com and ssh2's own EXT_INFO are removed by ssh2-kexinit-patch.ts.
 * - Timing: ssh2 sends its KEXINIT only after the client's identification line arrives, as OpenSSH
 *   does; dropbear sends it at once after its own.
 */
export interface ProfileLists {
  /** Exactly the persona's lists: the bytes of the KEXINIT. */
  readonly advertised: SshKexInitLists;
  /** The names ssh2 can negotiate, in the same order. */
  readonly negotiable: SshKexInitLists;
  /** Advertised names ssh2 cannot negotiate. */
  readonly advertisedOnly: readonly string[];
}

const STRICT_KEX = 'kex-strict-s-v00@openssh.com';
const MAX_TIMER_MS = 2 ** 31 - 1;

export function profileLists(profile: SshPersona): ProfileLists {
  const supported = ssh2Supported();
  const advertised = profile.kexinit;
  const keep = (list: readonly string[], from: readonly string[]): string[] => list.filter((name) => from.includes(name));
  const negotiable: SshKexInitLists = {
    // strict kex is a marker ssh2 understands by name: keep it negotiable only when advertised.
    kex: advertised.kex.filter((name) => supported.kex.includes(name) || name === STRICT_KEX),
    serverHostKey: keep(advertised.serverHostKey, supported.serverHostKey),
    ciphers: keep(advertised.ciphers, supported.ciphers),
    macs: keep(advertised.macs, supported.macs),
    compression: keep(advertised.compression, supported.compression),
  };
  const all = (l: SshKexInitLists): string[] => [...l.kex, ...l.serverHostKey, ...l.ciphers, ...l.macs, ...l.compression];
  const advertisedOnly = [...new Set(all(advertised).filter((name) => !all(negotiable).includes(name)))];
  for (const [what, list] of Object.entries(negotiable)) {
    if ((list as readonly string[]).filter((n) => n !== STRICT_KEX).length === 0) throw new Error(`SSH persona ${profile.software}: ssh2 supports none of its ${what}`);
  }
  return { advertised, negotiable, advertisedOnly };
}

const typed = <T extends string>(names: readonly string[]): T[] => names as T[];

/** The ssh2 ServerConfig for the persona; `hostKeys` are private keys, one per profile host key. */
export function sshServerOptions(profile: SshPersona, hostKeys: readonly Buffer[]): ServerConfig {
  const { negotiable } = profileLists(profile);
  const have = new Set<string>();
  for (const key of hostKeys) {
    const parsed = ssh2.utils.parseKey(key);
    if (parsed instanceof Error) throw new Error(`SSH host key: ${parsed.message}`);
    const one = Array.isArray(parsed) ? parsed[0] : parsed;
    if (one) have.add(one.type);
  }
  const keyType = (name: string): string => (name.startsWith('rsa-sha2-') ? 'ssh-rsa' : name);
  const missing = negotiable.serverHostKey.filter((name) => !have.has(keyType(name)));
  if (missing.length > 0) throw new Error(`SSH persona ${profile.software}: no host key for ${missing.join(', ')}`);
  const algorithms: Algorithms = {
    kex: typed<KexAlgorithm>(negotiable.kex.filter((n) => n !== STRICT_KEX)),
    // ssh2 keys its host key table by these names, so every RSA signature name must be here.
    serverHostKey: typed<ServerHostKeyAlgorithm>(negotiable.serverHostKey),
    cipher: typed<CipherAlgorithm>(negotiable.ciphers),
    hmac: typed<MacAlgorithm>(negotiable.macs),
    compress: typed<CompressionAlgorithm>(negotiable.compression),
  };
  return {
    hostKeys: [...hostKeys],
    // ssh2 prefixes "SSH-2.0-" itself.
    ident: profile.ident.slice('SSH-2.0-'.length),
    algorithms,
    // ssh2 pings authenticated clients (keepalive@openssh.com) every 15 s by default and has no
    // "off" (0 and -1 fall back to the default); dropbear 2019.78 (-K 0) and OpenSSH 7.4
    // (ClientAliveInterval 0) never do. The largest timer Node allows is ~24.8 days.
    keepaliveInterval: MAX_TIMER_MS,
  };
}

/**
 * Makes `server` (built with sshServerOptions for the same profile) send the persona's own KEXINIT:
 * the exact lists, kex-strict-s-v00 only where the real server has it, the persona's EXT_INFO or none.
 * Call once, right after creating the server.
 */
export function adoptPersonaHandshake(server: Server, profile: SshPersona): void {
  const { advertised, negotiable } = profileLists(profile);
  adoptOffer(server, buildOffer(advertised, negotiable), advertised.kex.includes(STRICT_KEX), profile.serverSigAlgs);
}

/** A listening-ready ssh2 Server showing the persona's handshake. */
export function createPersonaSshServer(profile: SshPersona, hostKeys: readonly Buffer[], listener?: (client: ssh2.Connection, info: ssh2.ClientInfo) => void): Server {
  const server = new ssh2.Server(sshServerOptions(profile, hostKeys), listener);
  adoptPersonaHandshake(server, profile);
  return server;
}

/** HASSH server fingerprint (Salesforce): MD5 of "kex;ciphers;macs;compression" as the server sends them. */
export function serverHassh(profile: SshPersona): { readonly hassh: string; readonly algorithms: string } {
  const l = profile.kexinit;
  return hassh({ kex: l.kex, hostKey: l.serverHostKey, ciphers: l.ciphers, macs: l.macs, compression: l.compression });
}
