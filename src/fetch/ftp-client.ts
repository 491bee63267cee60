// FTP download client (RFC 959 passive mode, RFC 2428 EPSV first, PASV as fallback) with hard limits on
// bytes, time and silence, for fetching what bots point at (busybox ftpget and friends).
import { connect, isIP } from 'node:net';
import type { Socket } from 'node:net';
import type { TransferLimits, TransferOutcome, TransferResult, TransferTarget } from './transfer.ts';
import { createReplyReader, parseEpsv, parsePasv, replyText } from './ftp-reply.ts';
import type { FtpReply } from './ftp-reply.ts';

export interface FtpCredentials {
  readonly user: string;
  readonly pass: string;
}

/** What a browser or busybox would send for an anonymous login. */
export const ANONYMOUS_FTP: FtpCredentials = { user: 'anonymous', pass: 'anonymous@example.com' };

const MAX_PATH = 1024;
const MAX_CREDENTIAL = 256;
/** How long QUIT may take before the control socket is simply destroyed. */
const QUIT_GRACE_MS = 200;

/** Thrown inside the client to end the transfer with a result; never escapes ftpGet. */
class Stop extends Error {
  readonly result: TransferResult;
  constructor(result: TransferResult) {
    super(result.detail);
    this.result = result;
  }
}

/** null or undefined credentials log in anonymously. */
export async function ftpGet(target: TransferTarget, path: string, login: FtpCredentials | null | undefined, limits: TransferLimits, signal?: AbortSignal): Promise<TransferResult> {
  const credentials = login ?? ANONYMOUS_FTP;
  const where = `ftp ${oneLine(target.address)}:${target.port} ${JSON.stringify(path.slice(0, 200))}`;
  let received = 0;
  const make = (outcome: TransferOutcome, status: string | null, detail: string, body: Uint8Array | null = null): TransferResult => ({ outcome, status, body, bytes: received, detail: `${where}: ${detail}` });

  if (isIP(target.address) === 0 || !Number.isInteger(target.port) || target.port < 1 || target.port > 65535) return make('error', null, 'not an IP literal and port');
  // CR or LF would end the command early and let the rest run as a second command; NUL cuts it on some servers.
  const fields: [string, string, number][] = [['path', path, MAX_PATH], ['user', credentials.user, MAX_CREDENTIAL], ['password', credentials.pass, MAX_CREDENTIAL]];
  for (const [name, value, max] of fields) {
    if (/[\r\n\0]/.test(value) || value.length === 0 || value.length > max) return make('protocol-error', null, `${name} is empty, too long or contains CR, LF or NUL`);
  }
  if (signal?.aborted) return make('error', null, 'aborted');

  const chunks: Uint8Array[] = [];
  let result: TransferResult | null = null;
  const stopped = Promise.withResolvers<never>();
  stopped.promise.catch(() => {}); // observed through step(); this only silences the unobserved case
  const halt = (r: TransferResult): Stop => {
    result ??= r;
    const stop = new Stop(result);
    stopped.reject(stop);
    return stop;
  };
  /** Every wait races the end of the transfer (timeout, stall, abort, a limit hit in a data handler). */
  const step = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, stopped.promise]);

  let watching: { what: string } | null = null;
  let stallTimer: NodeJS.Timeout | undefined;
  const rearm = (): void => {
    clearTimeout(stallTimer);
    if (watching === null) return;
    const what = watching.what;
    stallTimer = setTimeout(() => halt(make('stalled', null, `nothing from the server for ${limits.stallMs} ms waiting for ${what}`)), limits.stallMs);
  };
  const watch = (what: string | null): void => {
    watching = what === null ? null : { what };
    rearm();
  };
  const overall = setTimeout(() => halt(make('timeout', null, `no end after ${limits.timeoutMs} ms`)), limits.timeoutMs);
  const onAbort = (): void => void halt(make('error', null, 'aborted'));
  signal?.addEventListener('abort', onAbort, { once: true });

  let control: Socket | null = null;
  let data: Socket | null = null;
  let greeted = false;
  try {
    control = await open(target.port, 'connection');
    const replies = controlReplies(control);
    const command = (line: string): void => void control?.write(`${line}\r\n`, 'utf8');
    const expect = async (what: string, ok: (code: number) => boolean): Promise<FtpReply> => {
      const reply = await replies.next(what);
      if (!ok(reply.code)) throw halt(unexpected(reply, what));
      return reply;
    };

    let greeting = await replies.next('the greeting');
    for (let i = 0; i < 3 && greeting.code >= 100 && greeting.code < 200; i++) greeting = await replies.next('the greeting'); // 120: ready soon
    greeted = true;
    if (greeting.code !== 220) throw halt(unexpected(greeting, 'the greeting'));
    command(`USER ${credentials.user}`);
    const user = await expect('USER', (code) => code === 230 || code === 331);
    if (user.code === 331) {
      command(`PASS ${credentials.pass}`);
      await expect('PASS', (code) => code === 230 || code === 202);
    }
    command('TYPE I');
    await expect('TYPE I', (code) => code >= 200 && code < 300);

    // FTP bounce / SSRF: the data connection always goes to the control connection's address, the one the
    // guard vetted. The IP in a PASV reply is ignored (only its port is used); EPSV names only a port.
    let dataPort: number | null;
    let note = '';
    command('EPSV');
    const epsv = await replies.next('EPSV');
    if (epsv.code === 229) {
      dataPort = parseEpsv(epsv);
    } else {
      command('PASV');
      const pasv = await expect('PASV', (code) => code === 227);
      const passive = parsePasv(pasv);
      dataPort = passive?.port ?? null;
      if (passive !== null && passive.host !== target.address) note = ` (PASV named ${passive.host}; used ${target.address})`;
    }
    if (dataPort === null) throw halt(make('protocol-error', String(epsv.code), 'unreadable passive-mode reply'));
    data = await open(dataPort, 'data connection');
    const dataEnded = collect(data);

    command(`RETR ${path}`);
    const retr = await expect('RETR', (code) => code >= 100 && code < 300);
    watch('data');
    await step(dataEnded);
    watch(null);
    const final = retr.code >= 200 ? retr : await expect('the end of the transfer', (code) => code >= 200 && code < 300);
    return (result = make('ok', String(final.code), `${received} bytes${note}`, Buffer.concat(chunks)));
  } catch (error) {
    if (error instanceof Stop) return error.result;
    return (result = result ?? make('error', null, error instanceof Error ? error.message : String(error)));
  } finally {
    clearTimeout(overall);
    clearTimeout(stallTimer);
    signal?.removeEventListener('abort', onAbort);
    data?.destroy();
    if (control !== null) await quit(control, greeted && (result === null || result.outcome === 'ok' || result.outcome === 'server-error'));
  }

  /** A TCP connection to the vetted address; refused and reset become 'refused'. */
  async function open(port: number, what: string): Promise<Socket> {
    const socket = connect({ host: target.address, port, noDelay: true });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const refused = error.code === 'ECONNREFUSED' || (error.code === 'ECONNRESET' && !greeted);
      halt(make(refused ? 'refused' : 'error', null, `${what}: ${error.code ?? error.message}`));
    });
    try {
      await step(new Promise<void>((resolve) => socket.once('connect', resolve)));
    } catch (error) {
      socket.destroy();
      throw error;
    }
    return socket;
  }

  /** Replies from the control connection, one at a time, each waited for at most stallMs of silence. */
  function controlReplies(socket: Socket): { next(what: string): Promise<FtpReply> } {
    const reader = createReplyReader();
    const queue: FtpReply[] = [];
    let wake: (() => void) | null = null;
    let closed = false;
    socket.on('data', (chunk: Buffer) => {
      if (watching?.what !== 'data') rearm();
      const read = reader.push(chunk);
      if (read.kind === 'malformed') halt(make('protocol-error', null, `bad reply: ${oneLine(read.reason)}`));
      else queue.push(...read.replies);
      wake?.();
    });
    socket.on('close', () => {
      closed = true;
      wake?.();
    });
    return {
      async next(what) {
        watch(what);
        while (queue.length === 0) {
          if (closed) throw halt(make(greeted ? 'protocol-error' : 'refused', null, `connection closed waiting for ${what}`));
          await step(new Promise<void>((resolve) => (wake = resolve)));
        }
        watch(null);
        const reply = queue.shift();
        if (reply === undefined) throw halt(make('error', null, 'reply queue empty'));
        return reply;
      },
    };
  }

  /** Payload bytes into `chunks`, cut at maxBytes; resolves when the server closes the data connection. */
  function collect(socket: Socket): Promise<void> {
    socket.on('data', (chunk: Buffer) => {
      if (result !== null) return;
      rearm();
      received += chunk.length;
      if (received > limits.maxBytes) {
        chunks.push(chunk.subarray(0, chunk.length - (received - limits.maxBytes)));
        halt(make('too-large', null, `more than ${limits.maxBytes} bytes`, Buffer.concat(chunks)));
        return;
      }
      chunks.push(chunk);
    });
    return new Promise<void>((resolve) => {
      socket.once('end', resolve);
      socket.once('close', resolve); // after an error, halt() has already ended the transfer
    });
  }

  function unexpected(reply: FtpReply, what: string): TransferResult {
    const text = oneLine(replyText(reply));
    if (reply.code >= 400) return make('server-error', String(reply.code), `${what}: ${reply.code} ${text}`);
    return make('protocol-error', String(reply.code), `${what}: unexpected ${reply.code} ${text}`);
  }
}

/** Says goodbye when the session is still sane, then makes sure the socket is gone. */
async function quit(control: Socket, polite: boolean): Promise<void> {
  if (control.destroyed) return;
  if (polite && control.writable) {
    const closed = new Promise<void>((resolve) => control.once('close', () => resolve()));
    control.end('QUIT\r\n');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, QUIT_GRACE_MS)))]);
    clearTimeout(timer);
  }
  control.destroy();
}

/** Server text in a detail line: printable, one line, short. */
function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]+/g, ' ').slice(0, 200);
}
