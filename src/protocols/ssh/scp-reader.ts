// Reads what the attacker's scp sends on an exec channel as awaited bytes, lines and blocks, with
// a bound on what is held: SCP is a lock-step protocol, so a well-behaved peer never sends far ahead.
import type { Readable } from 'node:stream';

export class ScpReader {
  readonly #chunks: Buffer[] = [];
  #held = 0;
  #ended = false;
  #wake: (() => void) | null = null;
  readonly #maxHeld: number;

  /** More than `maxHeld` bytes waiting unread ends the stream (read as EOF). */
  constructor(input: Readable, maxHeld: number) {
    this.#maxHeld = maxHeld;
    input.on('data', (chunk: Buffer) => {
      if (this.#ended) return;
      this.#chunks.push(chunk);
      this.#held += chunk.length;
      if (this.#held > this.#maxHeld) this.#end();
      this.#notify();
    });
    input.on('end', () => this.#end());
    input.on('close', () => this.#end());
    input.on('error', () => this.#end());
  }

  get overflowed(): boolean {
    return this.#held > this.#maxHeld;
  }

  #end(): void {
    this.#ended = true;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  async #more(): Promise<boolean> {
    while (this.#chunks.length === 0) {
      if (this.#ended) return false;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    return true;
  }

  /** One byte, or null at the end of the stream. */
  async byte(): Promise<number | null> {
    if (!(await this.#more()) || this.overflowed) return null;
    const first = this.#chunks[0]!;
    const value = first[0]!;
    if (first.length === 1) this.#chunks.shift();
    else this.#chunks[0] = first.subarray(1);
    this.#held -= 1;
    return value;
  }

  /** Bytes up to a newline (not included); null at the end or when longer than `max`. */
  async line(max: number): Promise<string | null> {
    const bytes: number[] = [];
    for (;;) {
      const b = await this.byte();
      if (b === null || bytes.length > max) return null;
      if (b === 0x0a) return Buffer.from(bytes).toString('utf8');
      bytes.push(b);
    }
  }

  /** Exactly `size` bytes, given to `take` as they come (null there: skip); false when the stream ended first. */
  async block(size: number, take: ((part: Buffer) => void) | null): Promise<boolean> {
    let left = size;
    while (left > 0) {
      if (!(await this.#more()) || this.overflowed) return false;
      const first = this.#chunks[0]!;
      const part = first.length <= left ? first : first.subarray(0, left);
      if (part.length === first.length) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(part.length);
      this.#held -= part.length;
      left -= part.length;
      take?.(part);
    }
    return true;
  }
}
