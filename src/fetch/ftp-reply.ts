// Pure parsing of FTP control-connection replies (RFC 959 single and multi-line) and of the PASV (227)
// and EPSV (229, RFC 2428) answers, with hard limits on line and reply size against hostile servers.

export interface FtpReply {
  readonly code: number;
  /** The text lines, code and separator removed from the first and last (latin1: bytes map 1:1). */
  readonly lines: readonly string[];
}

export interface FtpReplyLimits {
  /** Longest line, CRLF excluded. */
  readonly maxLineBytes: number;
  /** Largest reply, all lines of a multi-line reply together. */
  readonly maxReplyBytes: number;
}

export const DEFAULT_REPLY_LIMITS: FtpReplyLimits = { maxLineBytes: 2048, maxReplyBytes: 16_384 };

export type FtpReadResult = { readonly kind: 'replies'; readonly replies: readonly FtpReply[] } | { readonly kind: 'malformed'; readonly reason: string };

export interface FtpReplyReader {
  /** Feeds bytes from the control connection; returns the replies they completed, or why they are bad. */
  push(chunk: Uint8Array): FtpReadResult;
}

/** A reader keeps at most one line and one reply in memory; after 'malformed' it stays malformed. */
export function createReplyReader(limits: FtpReplyLimits = DEFAULT_REPLY_LIMITS): FtpReplyReader {
  let pending = Buffer.alloc(0);
  let open: { code: number; lines: string[]; bytes: number } | null = null; // a multi-line reply in progress
  let failure: string | null = null;

  function line(text: string): FtpReply | string | null {
    const head = /^([1-5]\d\d)([ -]|$)/.exec(text);
    if (open !== null) {
      open.bytes += text.length + 2;
      if (open.bytes > limits.maxReplyBytes) return `reply longer than ${limits.maxReplyBytes} bytes`;
      // RFC 959: the reply ends at a line with the same code followed by a space (or nothing).
      if (head !== null && Number(head[1]) === open.code && head[2] !== '-') {
        const done = { code: open.code, lines: [...open.lines, text.slice(4)] };
        open = null;
        return done;
      }
      open.lines.push(text);
      return null;
    }
    if (head === null) return `not an FTP reply: ${JSON.stringify(text.slice(0, 40))}`;
    const code = Number(head[1]);
    if (head[2] === '-') {
      open = { code, lines: [text.slice(4)], bytes: text.length + 2 };
      return null;
    }
    return { code, lines: [text.slice(4)] };
  }

  return {
    push(chunk) {
      if (failure !== null) return { kind: 'malformed', reason: failure };
      pending = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
      const replies: FtpReply[] = [];
      let start = 0;
      for (let end = pending.indexOf(0x0a); end !== -1; end = pending.indexOf(0x0a, start)) {
        // CRLF by the RFC; a bare LF is tolerated because real servers send it.
        const stop = end > start && pending[end - 1] === 0x0d ? end - 1 : end;
        if (stop - start > limits.maxLineBytes) return fail(`line longer than ${limits.maxLineBytes} bytes`);
        const parsed = line(pending.toString('latin1', start, stop));
        start = end + 1;
        if (typeof parsed === 'string') return fail(parsed);
        if (parsed !== null) replies.push(parsed);
      }
      pending = pending.subarray(start);
      if (pending.length > limits.maxLineBytes + 1) return fail(`line longer than ${limits.maxLineBytes} bytes`);
      return { kind: 'replies', replies };
    },
  };

  function fail(reason: string): FtpReadResult {
    failure = reason;
    pending = Buffer.alloc(0);
    open = null;
    return { kind: 'malformed', reason };
  }
}

/** The whole text of a reply, lines joined. */
export function replyText(reply: FtpReply): string {
  return reply.lines.join('\n');
}

export interface PassiveAddress {
  readonly host: string;
  readonly port: number;
}

/** `227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)`; parentheses are optional in practice. */
export function parsePasv(reply: FtpReply): PassiveAddress | null {
  if (reply.code !== 227) return null;
  const match = /(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/.exec(replyText(reply));
  if (match === null) return null;
  const numbers = match.slice(1, 7).map(Number);
  if (numbers.some((n) => n > 255)) return null;
  const [h1, h2, h3, h4, p1 = 0, p2 = 0] = numbers;
  const port = p1 * 256 + p2;
  return port === 0 ? null : { host: `${h1}.${h2}.${h3}.${h4}`, port };
}

/** `229 Entering Extended Passive Mode (|||port|)`: any printable delimiter, used four times. */
export function parseEpsv(reply: FtpReply): number | null {
  if (reply.code !== 229) return null;
  const match = /\(([\x21-\x7e])\1\1(\d{1,5})\1\)/.exec(replyText(reply));
  if (match === null) return null;
  const port = Number(match[2]);
  return port > 0 && port < 65536 ? port : null;
}
