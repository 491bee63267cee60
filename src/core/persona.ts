// The read-only view of a device persona that protocols and the shell see. Loaded from a persona
// pack (personas/<id>/persona.yaml + fs/) by src/personas; nothing here does I/O.
import type { SshPersona } from './ssh-persona.ts';
import type { WebPersona } from './web-persona.ts';

export type FsNode =
  | { readonly kind: 'file'; readonly data: Uint8Array; readonly mode: number; readonly uid: number; readonly gid: number; readonly mtime: number }
  | { readonly kind: 'dir'; readonly mode: number; readonly uid: number; readonly gid: number; readonly mtime: number }
  | { readonly kind: 'symlink'; readonly target: string; readonly mtime: number }
  | { readonly kind: 'device'; readonly device: 'null' | 'zero' | 'random' | 'tty'; readonly mode: number; readonly mtime: number };

/** Absolute, normalised paths ('/', '/bin', '/bin/busybox') to nodes. Every parent dir is present. */
export type FsTree = ReadonlyMap<string, FsNode>;

export type DeviceClass = 'ip-camera' | 'router' | 'dvr' | 'appliance' | 'smart-hub' | 'nas';

export interface ElfIdentity {
  readonly bits: 32 | 64;
  readonly endian: 'little' | 'big';
  /** e_machine: 40 ARM, 8 MIPS, 183 AArch64, 62 x86-64, 3 x86, 20 PowerPC. */
  readonly machine: number;
  readonly flags: number;
}

export interface Credential {
  readonly username: string;
  readonly password: string;
}

export interface ProcessEntry {
  readonly pid: number;
  readonly user: string;
  readonly vsz: number;
  readonly stat: string;
  readonly command: string;
}

export interface NetworkInterface {
  readonly name: string;
  readonly mac: string | null;
  readonly ipv4: string | null;
  readonly netmask: string | null;
  readonly broadcast: string | null;
  readonly mtu: number;
}

export interface ListeningSocket {
  readonly proto: 'tcp' | 'udp';
  readonly local: string;
  readonly program: string;
}

export interface TelnetPersona {
  /** Raw option negotiation the device's telnetd sends first, as bytes. */
  readonly negotiation: Uint8Array;
  /** Bytes sent after negotiation and before the login prompt (e.g. a banner or "\r\n"). */
  readonly greeting: string;
  /** Login prompt; `{hostname}` is replaced. */
  readonly loginPrompt: string;
  readonly passwordPrompt: string;
  readonly loginIncorrect: string;
  readonly motd: string;
  readonly loginFailureDelayMs: number;
  readonly maxLoginAttempts: number;
}

export interface ShellPersona {
  /** PS1 with BusyBox ash escapes: \u user, \h hostname, \w cwd (~ for home), \$ # or $. */
  readonly prompt: string;
  readonly env: Readonly<Record<string, string>>;
  readonly home: string;
}

export interface PersonaView {
  readonly id: string;
  readonly name: string;
  readonly vendor: string;
  readonly model: string;
  readonly deviceClass: DeviceClass;
  readonly firmware: string;
  readonly hostname: string;
  readonly arch: { readonly uname: string; readonly elf: ElfIdentity };
  readonly kernel: { readonly release: string; readonly version: string };
  readonly busybox: {
    /** "1.20.2". */
    readonly version: string;
    /** First line `busybox` prints: "BusyBox v1.20.2 (2016-07-08 13:46:15 CST) multi-call binary.".
     * The ash banner is the same text with " built-in shell (ash)" in place of " multi-call binary.". */
    readonly buildLine: string;
    /** Applet names, sorted as `busybox --list` prints them (not including "busybox"). */
    readonly applets: readonly string[];
  };
  readonly telnet: TelnetPersona;
  readonly shell: ShellPersona;
  readonly credentials: { readonly accepted: readonly Credential[]; readonly acceptAfterFailures: number | null };
  readonly processes: readonly ProcessEntry[];
  readonly network: {
    readonly interfaces: readonly NetworkInterface[];
    readonly gateway: string | null;
    readonly listening: readonly ListeningSocket[];
  };
  /** Seconds the device had been up when hachi started (uptime grows from there). */
  readonly uptimeSeconds: number;
  /** Fixed outputs for commands whose answer is data, keyed by the exact command line. */
  readonly commandOutputs: Readonly<Record<string, string>>;
  readonly fs: FsTree;
  /** The device's web servers (web.yaml); absent when the pack has none. */
  readonly web?: WebPersona;
  /** The device's SSH server (ssh.yaml); absent when the pack has none. */
  readonly ssh?: SshPersona;
}
