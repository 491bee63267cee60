// Reads one HTTP message body incrementally (server sessions and the relay observer): Content-Length,
// chunked (with chunk extensions and trailers) or until the connection closes. Keeps the first body
// bytes up to a cap and counts the rest; the chunk-size line and the trailers have caps of their own.
import { createCappedBytes } from './capped-bytes.ts';
import { parseHeaderLines, type Framing } from './head.ts';

/** Longest chunk-size line (size and extensions) accepted. */
const MAX_SIZE_LINE = 4096;

export interface BodyResult {
  readonly body: string;
  /** The same kept bytes, copied. */
  readonly data: Uint8Array;
  readonly bodyBytes: number;
  /** The body was cut at the capture cap. */
  readonly capped: boolean;
  /** Every byte of the body arrived (false when the session ended inside it). */
  readonly complete: boolean;
  readonly trailers: [string, string][];
}

export interface BodyReader {
  /** Takes body bytes from `offset`; `done` once the body ended, `error` when its framing is broken. */
  feed(chunk: Uint8Array, offset: number): { readonly taken: number; readonly done: boolean; readonly error: string | null };
  result(): BodyResult;
  readonly allocated: number;
}

export function createBodyReader(framing: Framing, limits: { readonly maxBodyBytes: number; readonly maxHeaderBytes: number }, strict: boolean): BodyReader {
  const capture = createCappedBytes(limits.maxBodyBytes);
  let bodyBytes = 0;
  let complete = framing.kind === 'none';
  let state: 'size' | 'data' | 'data-cr' | 'data-lf' | 'trailer' = 'size';
  let remaining = framing.kind === 'length' ? framing.length : 0;
  let line = '';
  let trailerBytes = 0;
  const trailerLines: string[] = [];
  let trailers: [string, string][] = [];

  const keep = (chunk: Uint8Array, start: number, end: number): void => {
    capture.append(chunk, start, end);
    bodyBytes += end - start;
  };
  const fail = (taken: number, error: string) => ({ taken, done: true, error });
  const finished = (taken: number) => {
    complete = true;
    return { taken, done: true, error: null };
  };

  const chunked = (chunk: Uint8Array, offset: number): { taken: number; done: boolean; error: string | null } => {
    let i = offset;
    while (i < chunk.length) {
      const byte = chunk[i]!;
      if (state === 'data') {
        const end = Math.min(chunk.length, i + remaining);
        keep(chunk, i, end);
        remaining -= end - i;
        i = end;
        if (remaining === 0) state = 'data-cr';
        continue;
      }
      i++;
      if (state === 'data-cr' || state === 'data-lf') {
        if (byte === 0x0a) state = 'size';
        else if (byte === 0x0d && state === 'data-cr') state = 'data-lf';
        else return fail(i - offset, 'no line end after a chunk');
        continue;
      }
      if (byte !== 0x0a) {
        line += String.fromCharCode(byte);
        if (state === 'size' && line.length > MAX_SIZE_LINE) return fail(i - offset, 'chunk size line too long');
        if (state === 'trailer' && trailerBytes + line.length > limits.maxHeaderBytes) return fail(i - offset, 'trailer section too long');
        continue;
      }
      const text = line.replace(/\r$/, '');
      line = '';
      if (state === 'size') {
        const size = /^([0-9A-Fa-f]+)[ \t]*(?:;.*)?$/.exec(text)?.[1]?.replace(/^0+(?=.)/, '');
        if (size === undefined || text.includes('\r')) return fail(i - offset, 'bad chunk size');
        if (size.length > 12) return fail(i - offset, 'chunk size too large');
        remaining = parseInt(size, 16);
        state = remaining === 0 ? 'trailer' : 'data';
        continue;
      }
      // A trailer line; the empty line ends the body.
      if (text === '') {
        const parsed = parseHeaderLines(trailerLines, strict);
        if (!parsed.ok) return fail(i - offset, `bad trailer: ${parsed.error}`);
        trailers = parsed.headers;
        return finished(i - offset);
      }
      trailerBytes += text.length + 2;
      trailerLines.push(text);
    }
    return { taken: i - offset, done: false, error: null };
  };

  return {
    get allocated() {
      return capture.allocated + line.length + trailerBytes;
    },
    feed(chunk, offset) {
      if (framing.kind === 'none') return finished(0);
      if (framing.kind === 'close') {
        keep(chunk, offset, chunk.length);
        return { taken: chunk.length - offset, done: false, error: null };
      }
      if (framing.kind === 'chunked') return chunked(chunk, offset);
      const end = Math.min(chunk.length, offset + remaining);
      keep(chunk, offset, end);
      remaining -= end - offset;
      return remaining === 0 ? finished(end - offset) : { taken: end - offset, done: false, error: null };
    },
    result: () => ({
      body: capture.latin1(),
      data: new Uint8Array(capture.view()),
      bodyBytes,
      capped: bodyBytes > capture.length,
      complete: complete || framing.kind === 'close',
      trailers,
    }),
  };
}
