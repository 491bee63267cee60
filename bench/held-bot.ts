// A Telnet bot that logs in, runs a few lines and then keeps its session open (bench/fetch-load.ts):
// the held counterpart of bench/telnet-bot.ts, whose bots always hang up at the end of their script.
import type { Socket } from 'node:net';
import { Conversation, openConnection, type BotTarget } from './telnet-bot.ts';

export class HeldBot {
  readonly #talk: Conversation;

  private constructor(talk: Conversation) {
    this.#talk = talk;
  }

  get socket(): Socket {
    return this.#talk.socket;
  }

  /** Connects and logs in; resolves at the shell prompt. */
  static async login(target: BotTarget): Promise<HeldBot> {
    const talk = new Conversation(await openConnection(target));
    try {
      await talk.waitFor('login: ', target.timeoutMs);
      talk.send(target.username);
      await talk.waitFor('assword: ', target.timeoutMs);
      talk.send(target.password);
      await talk.waitFor(target.promptSuffix, target.timeoutMs);
      return new HeldBot(talk);
    } catch (error) {
      talk.socket.destroy();
      throw error;
    }
  }

  get open(): boolean {
    return !this.#talk.isClosed;
  }

  /** Sends `line` and waits for `until`; returns the text before it and the milliseconds taken. */
  async run(line: string, until: string, timeoutMs: number): Promise<{ readonly text: string; readonly ms: number }> {
    const started = performance.now();
    this.#talk.clear();
    this.#talk.send(line);
    const text = await this.#talk.waitFor(until, timeoutMs);
    return { text, ms: performance.now() - started };
  }
}
