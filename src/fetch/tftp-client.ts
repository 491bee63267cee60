// TFTP download client (RFC 1350, octet mode; RFC 2347/2348/2349 block size and size when asked)
// over node:dgram, with hard limits on bytes, time and silence, for fetching what bots point at.
import { createSocket } from 'node:dgram';
import type { RemoteInfo } from 'node:dgram';
import { isIP, isIPv6 } from 'node:net';
import type { TransferLimits, TransferOutcome, TransferResult, TransferTarget } from './transfer.ts';
import { TFTP_ERROR, TFTP_MAX_BLOCK, TFTP_MIN_BLOCK, decodePacket, encodeAck, encodeError, encodeRequest } from './tftp-codec.ts';

export interface TftpClientOptions {
  /** Ask for this block size (RFC 2348) and the transfer size (RFC 2349). Omitted: plain RFC 1350, 512-byte blocks. */
  readonly blockSize?: number;
  /** Wait before sending the last RRQ/ACK again; default a quarter of stallMs, within 20..1000 ms. */
  readonly retransmitMs?: number;
  /** Resends of one packet; after that only the stall limit is left. Default 5. */
  readonly maxRetransmits?: number;
}

const DEFAULT_BLOCK = 512;
/** ERROR 5 replies to strays are capped so a spoofing peer cannot use the client as a reflector. */
const MAX_STRAY_REPLIES = 8;

export function tftpGet(target: TransferTarget, file: string, limits: TransferLimits, signal?: AbortSignal, options: TftpClientOptions = {}): Promise<TransferResult> {
  const wanted = options.blockSize;
  const askOptions = wanted !== undefined && Number.isInteger(wanted) && wanted >= TFTP_MIN_BLOCK && wanted <= TFTP_MAX_BLOCK;
  const request = encodeRequest('rrq', file, 'octet', askOptions ? new Map([['blksize', String(wanted)], ['tsize', '0']]) : new Map());
  const where = `tftp ${oneLine(target.address)}:${target.port} ${JSON.stringify(file.slice(0, 200))}`;
  if (isIP(target.address) === 0 || !validPort(target.port)) return Promise.resolve(result('error', null, null, 0, `${where}: not an IP literal and port`));
  if (request === null) return Promise.resolve(result('protocol-error', null, null, 0, `${where}: file name is empty, too long or contains NUL`));
  if (signal?.aborted) return Promise.resolve(result('error', null, null, 0, `${where}: aborted`));

  const retransmitMs = options.retransmitMs ?? Math.min(1000, Math.max(20, Math.floor(limits.stallMs / 4)));
  const maxRetransmits = options.maxRetransmits ?? 5;
  const socket = createSocket(isIPv6(target.address) ? 'udp6' : 'udp4');
  const targetAddress = canonical(target.address);

  return new Promise<TransferResult>((resolve) => {
    const chunks: Uint8Array[] = [];
    let received = 0;
    let blocks = 0;
    let blockSize = DEFAULT_BLOCK;
    let serverPort: number | null = null; // the server's TID, fixed by its first packet
    let expected = 1;
    let lastAcked: number | null = null; // block 0 stands for an acknowledged OACK
    let reackedDuplicate = false;
    let lastPacket = request;
    let retransmits = 0;
    let strays = 0;
    let ended = false;

    const overall = setTimeout(() => end('timeout', null, `no end after ${limits.timeoutMs} ms`, null), limits.timeoutMs);
    let stall = setTimeout(onStall, limits.stallMs);
    let resend = setTimeout(onResend, retransmitMs);
    const onAbort = (): void => end('error', null, 'aborted', null, errorPacket(TFTP_ERROR.notDefined, 'aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });

    function onStall(): void {
      const what = serverPort === null ? 'no answer to the request' : `no block ${expected} from the server`;
      end('stalled', null, `${what} for ${limits.stallMs} ms`, null);
    }
    function onResend(): void {
      if (retransmits >= maxRetransmits) return; // the stall timer ends it
      retransmits++;
      send(lastPacket);
      resend = setTimeout(onResend, retransmitMs);
    }
    function progress(packet: Uint8Array): void {
      lastPacket = packet;
      retransmits = 0;
      reackedDuplicate = false;
      send(packet);
      clearTimeout(stall);
      clearTimeout(resend);
      stall = setTimeout(onStall, limits.stallMs);
      resend = setTimeout(onResend, retransmitMs);
    }
    function send(packet: Uint8Array, port = serverPort ?? target.port): void {
      if (ended) return;
      socket.send(packet, port, target.address, (error) => {
        if (error) end('error', null, `send failed: ${error.message}`, null);
      });
    }
    function errorPacket(code: number, message: string): Uint8Array | null {
      return serverPort === null ? null : encodeError(code, message);
    }

    function onMessage(message: Buffer, from: RemoteInfo): void {
      if (ended) return;
      // Only the vetted address may answer; anything else is spoofed or misrouted and is not answered
      // (replying would send packets to an address the SSRF guard never saw).
      if (canonical(from.address) !== targetAddress) return;
      if (serverPort !== null && from.port !== serverPort) {
        // RFC 1350: a packet from another TID gets ERROR 5 and does not disturb the transfer.
        if (strays++ < MAX_STRAY_REPLIES) send(encodeError(TFTP_ERROR.unknownTid, 'Unknown transfer ID'), from.port);
        return;
      }
      serverPort = from.port; // may differ from target.port: the server's new TID
      const packet = decodePacket(message);
      switch (packet.kind) {
        case 'error':
          end('server-error', String(packet.code), `server error ${packet.code}: ${oneLine(packet.message)}`, null);
          return;
        case 'malformed':
          protocolError(`malformed packet: ${packet.reason}`);
          return;
        case 'oack':
          onOack(packet.options);
          return;
        case 'data':
          onData(packet.block, packet.data);
          return;
        default:
          protocolError(`unexpected ${packet.kind.toUpperCase()} from the server`);
      }
    }

    function onOack(offered: ReadonlyMap<string, string>): void {
      if (lastAcked === 0 && blocks === 0) return duplicate(0);
      if (!askOptions || lastAcked !== null) return protocolError('unexpected OACK');
      const size = offered.get('blksize');
      if (size !== undefined) {
        const value = Number(size);
        // RFC 2348: the server may only lower the size the client asked for.
        if (!/^\d+$/.test(size) || value < TFTP_MIN_BLOCK || value > (wanted ?? DEFAULT_BLOCK)) {
          return end('protocol-error', null, `server offered block size ${oneLine(size)}`, null, encodeError(TFTP_ERROR.optionRefused, 'bad blksize'));
        }
        blockSize = value;
      }
      const total = Number(offered.get('tsize') ?? '0');
      if (Number.isFinite(total) && total > limits.maxBytes) {
        return end('too-large', null, `server announced ${total} bytes, more than ${limits.maxBytes}`, null, encodeError(TFTP_ERROR.optionRefused, 'file too large'));
      }
      lastAcked = 0;
      progress(encodeAck(0));
    }

    function onData(block: number, data: Uint8Array): void {
      // Block numbers are 16 bits: after 65535 servers go on with 0 (most) or 1 (some).
      const next = block === expected || (expected === 0 && block === 1);
      if (!next) {
        if (block === lastAcked) duplicate(block);
        return; // an older duplicate: answering it would feed the Sorcerer's Apprentice loop
      }
      if (data.length > blockSize) return protocolError(`block ${block} has ${data.length} bytes, more than ${blockSize}`);
      received += data.length;
      blocks++;
      if (received > limits.maxBytes) {
        const room = limits.maxBytes - (received - data.length);
        chunks.push(data.subarray(0, room));
        return end('too-large', null, `more than ${limits.maxBytes} bytes`, Buffer.concat(chunks), encodeError(TFTP_ERROR.diskFull, 'file too large'));
      }
      chunks.push(Uint8Array.from(data)); // a copy: the datagram buffer is not ours to keep
      lastAcked = block;
      expected = (block + 1) & 0xffff;
      if (data.length < blockSize) return end('ok', null, `${received} bytes in ${blocks} blocks`, Buffer.concat(chunks), encodeAck(block));
      progress(encodeAck(block));
    }

    /** The server sent the last block again (our ACK was lost): ACK it once more, but only once. */
    function duplicate(block: number): void {
      if (reackedDuplicate) return;
      reackedDuplicate = true;
      send(encodeAck(block));
    }

    function protocolError(why: string): void {
      end('protocol-error', null, why, null, errorPacket(TFTP_ERROR.illegalOperation, 'illegal operation'));
    }

    function end(outcome: TransferOutcome, status: string | null, detail: string, body: Uint8Array | null, last: Uint8Array | null = null): void {
      if (ended) return;
      clearTimeout(overall);
      clearTimeout(stall);
      clearTimeout(resend);
      signal?.removeEventListener('abort', onAbort);
      const done = result(outcome, status, body, received, `${where}: ${detail}`);
      const close = (): void => {
        socket.close(() => resolve(done));
      };
      if (last === null || serverPort === null) {
        ended = true;
        return close();
      }
      // The final ACK (or ERROR) goes out before the socket closes, so the server is not left waiting.
      socket.send(last, serverPort, target.address, close);
      ended = true;
    }

    socket.on('message', onMessage);
    socket.on('error', (error) => end('error', null, `socket error: ${error.message}`, null));
    send(request);
  });
}

function result(outcome: TransferOutcome, status: string | null, body: Uint8Array | null, bytes: number, detail: string): TransferResult {
  return { outcome, status, body, bytes, detail };
}

function validPort(port: number): boolean {
  return Number.isInteger(port) && port > 0 && port < 65536;
}

/** Addresses compared in one spelling: IPv6 literals have many. */
function canonical(address: string): string {
  return isIPv6(address) ? new URL(`http://[${address}]/`).hostname : address;
}

/** Server text in a detail line: printable, one line, short. */
function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]+/g, ' ').slice(0, 200);
}
