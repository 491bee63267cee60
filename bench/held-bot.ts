// A Telnet bot that logs in, runs a few lines and then keeps its session open (bench/fetch-load.ts):
// the held counterpart of bench/telnet-bot.ts, whose bots always hang up at the end of their script.
import type { Socket } from 'node:net';
import { openConnection, type BotTarget } from './telnet-bot.ts';

const IAC = 0xff;

/** The socket as latin1 text with option negotiation refused (DO -> WONT, WILL -> DONT). */
export class HeldBot {
  private buffer = '';
  private waiter: (() => void) | null = null;
  private closed = false;
  readonly socket: Socket;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  /** Connects and logs in; resolves at the shell prompt. */
  static async login(target: BotTarget): Promise<HeldBot> {
    const bot = new HeldBot(await openConnection(target));
    try {
      await bot.waitFor('login: ', target.timeoutMs);
      bot.send(target.username);
      await bot.waitFor('assword: ', target.timeoutMs);
      bot.send(target.password);
      await bot.waitFor(target.promptSuffix, target.timeoutMs);
      return bot;
    } catch (error) {
      bot.socket.destroy();
      throw error;
    }
  }

  get open(): boolean {
    return !this.closed && !this.socket.destroyed;
  }

  /** Sends `line` and waits for `until`; returns the text before it and the milliseconds taken. */
  async run(line: string, until: string, timeoutMs: number): Promise<{ readonly text: string; readonly ms: number }> {
    const started = performance.now();
    this.buffer = '';
    this.send(line);
    const text = await this.waitFor(until, timeoutMs);
    return { text, ms: performance.now() - started };
  }

  private receive(chunk: Buffer): void {
    let text = '';
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === IAC && i + 2 < chunk.length && chunk[i + 1]! >= 251 && chunk[i + 1]! <= 254) {
        const verb = chunk[i + 1]!;
        const option = chunk[i + 2]!;
        if (verb === 253) this.socket.write(Buffer.from([IAC, 252, option]));
        if (verb === 251) this.socket.write(Buffer.from([IAC, 254, option]));
        i += 2;
        continue;
      }
      text += String.fromCharCode(byte);
    }
    // Held sessions print nothing more; the cap only guards against a chatty server.
    this.buffer = (this.buffer + text).slice(-64 * 1024);
    this.waiter?.();
  }

  private async waitFor(marker: string, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.buffer.indexOf(marker);
      if (at >= 0) {
        const before = this.buffer.slice(0, at);
        this.buffer = this.buffer.slice(at + marker.length);
        return before;
      }
      if (this.closed) throw new Error(`connection closed while waiting for ${JSON.stringify(marker)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for ${JSON.stringify(marker)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = null;
          resolve();
        };
      });
    }
  }

  private send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }
}
