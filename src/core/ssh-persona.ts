// The read-only view of a persona's SSH server (personas/<id>/ssh.yaml): which sshd the device runs
// and exactly what it shows before authentication, so scanners see that product and version.

/** Host key algorithm families hachi can generate keys for. */
export type SshHostKeyKind = 'rsa' | 'ecdsa' | 'ed25519';

/** bits: RSA modulus size; ECDSA curve size; always 256 for ed25519. */
export type SshHostKeySpec =
  | { readonly kind: 'rsa'; readonly bits: number }
  | { readonly kind: 'ecdsa'; readonly bits: 256 | 384 | 521 }
  | { readonly kind: 'ed25519'; readonly bits: 256 };

/**
 * The server's KEXINIT name-lists exactly as the real server sends them, markers included
 * (kexguess2@matt.ucc.asn.au; kex-strict-s-v00@openssh.com only where the real server has it).
 * Both directions carry the same lists, as in dropbear and OpenSSH.
 */
export interface SshKexInitLists {
  readonly kex: readonly string[];
  readonly serverHostKey: readonly string[];
  readonly ciphers: readonly string[];
  readonly macs: readonly string[];
  readonly compression: readonly string[];
}

export type SshAuthMethod = 'publickey' | 'password' | 'keyboard-interactive';

export interface SshPersona {
  readonly port: number;
  /** Product and version as scanners name it: "dropbear_2019.78", "OpenSSH_7.4p1". */
  readonly software: string;
  /** The full identification line without CR LF: "SSH-2.0-dropbear_2019.78". */
  readonly ident: string;
  /** In the order the server loads them (for OpenSSH that fixes the host key list order). */
  readonly hostKeys: readonly SshHostKeySpec[];
  readonly kexinit: SshKexInitLists;
  /** server-sig-algs sent in EXT_INFO to clients offering ext-info-c; null: the server has no EXT_INFO. */
  readonly serverSigAlgs: readonly string[] | null;
  /** Methods named in USERAUTH_FAILURE, in the server's order. */
  readonly authMethods: readonly SshAuthMethod[];
  /** The device has an SFTP server (OpenSSH's sftp-server); without one the sftp subsystem is refused. */
  readonly sftp: boolean;
  /** What scanners show for the real server, kept to test against. */
  readonly expected: {
    /** nmap -sV VERSION column for the port. */
    readonly nmapVersion: string;
    /** nmap --script ssh-hostkey lines without fingerprints, e.g. "2048 (RSA)", in nmap's order. */
    readonly nmapHostKeys: readonly string[];
  };
}
