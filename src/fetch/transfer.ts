// What every transfer client (HTTP, TFTP, FTP) takes and returns: an already-vetted address to talk
// to, hard limits, and one outcome. Clients never resolve names: the SSRF guard picks the address.

/** How one transfer ended. Only 'ok' carries the whole payload. */
export type TransferOutcome =
  | 'ok'
  | 'server-error' // the server answered with an error (HTTP >= 400, TFTP ERROR, FTP 4xx/5xx)
  | 'refused' // connection refused or reset before any reply
  | 'timeout' // the whole transfer took longer than timeoutMs
  | 'stalled' // no data for stallMs
  | 'too-large' // more than maxBytes: the transfer was cut
  | 'too-many-redirects'
  | 'blocked' // the SSRF guard refused an address (also for redirects and FTP data addresses)
  | 'dns-failed'
  | 'protocol-error' // the server spoke something malformed
  | 'error';

export interface TransferLimits {
  /** Most payload bytes accepted; one more ends the transfer as 'too-large'. */
  readonly maxBytes: number;
  /** Whole transfer, connect included. */
  readonly timeoutMs: number;
  /** Longest wait for the next bytes once connected. */
  readonly stallMs: number;
}

export interface TransferResult {
  readonly outcome: TransferOutcome;
  /** Protocol status as the server gave it: HTTP status code, TFTP error code, FTP reply code; null when none came. */
  readonly status: string | null;
  /** The payload when outcome is 'ok' (and what arrived before a cut, for 'too-large': at most maxBytes). */
  readonly body: Uint8Array | null;
  /** Payload bytes received (even when cut). */
  readonly bytes: number;
  /** One line for people: what happened. */
  readonly detail: string;
}

/** Where a client connects: an IP literal the guard has accepted, never a name. */
export interface TransferTarget {
  readonly address: string;
  readonly port: number;
}
