// A minimal Telnet bot for load tests: refuses every option, logs in, runs a script step by step
// and measures each step's latency. Talks only to the loopback address it is given.
import { connect, type Socket } from 'node:net';
import type { ScriptStep } from './mirai-script.ts';

export interface BotTarget {
  readonly host: string;
  readonly port: number;
  readonly localAddress?: string;
  readonly username: string;
  readonly password: string;
  readonly promptSuffix: string;
  readonly timeoutMs: number;
}

export interface BotResult {
  readonly ok: boolean;
  readonly error?: string;
  readonly stepLatenciesMs: number[];
  /** Connect to shell prompt. */
  readonly loginMs: number;
  readonly connectMs: number;
  readonly totalMs: number;
}

const IAC = 0xff;

/** Reads the socket as latin1 text, answering option negotiation with refusals. */
export class Conversation {
  private buffer = '';
  private waiter: (() => void) | null = null;
  private closed = false;
  readonly socket: Socket;

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  private receive(chunk: Buffer): void {
    if (chunk.indexOf(IAC) < 0) {
      this.buffer += chunk.toString('latin1');
    } else {
      let text = '';
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i]!;
        if (byte === IAC && i + 2 < chunk.length && chunk[i + 1]! >= 251 && chunk[i + 1]! <= 254) {
          const verb = chunk[i + 1]!;
          const option = chunk[i + 2]!;
          // DO -> WONT, WILL -> DONT: the simplest client, like many bots.
          if (verb === 253) this.socket.write(Buffer.from([IAC, 252, option]));
          if (verb === 251) this.socket.write(Buffer.from([IAC, 254, option]));
          i += 2;
          continue;
        }
        text += String.fromCharCode(byte);
      }
      this.buffer += text;
    }
    // Markers are looked for near the end; the cap guards against a chatty server.
    if (this.buffer.length > 256 * 1024) this.buffer = this.buffer.slice(-256 * 1024);
    this.waiter?.();
  }

  /** Waits for `marker`; returns the text before it and forgets both. */
  async waitFor(marker: string, timeoutMs: number): Promise<string> {
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

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** Drops what arrived so far (the next wait sees only newer output). */
  clear(): void {
    this.buffer = '';
  }

  get isClosed(): boolean {
    return this.closed || this.socket.destroyed;
  }
}

export function openConnection(target: BotTarget): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port, localAddress: target.localAddress });
    socket.setNoDelay(true);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

export async function runBot(target: BotTarget, steps: readonly ScriptStep[]): Promise<BotResult> {
  const started = performance.now();
  const latencies: number[] = [];
  let socket: Socket | null = null;
  let loginMs = 0;
  let connectMs = 0;
  try {
    socket = await openConnection(target);
    connectMs = performance.now() - started;
    const talk = new Conversation(socket);
    await talk.waitFor('login: ', target.timeoutMs);
    talk.send(target.username);
    await talk.waitFor('assword: ', target.timeoutMs);
    talk.send(target.password);
    await talk.waitFor(target.promptSuffix, target.timeoutMs);
    loginMs = performance.now() - started;
    for (const step of steps) {
      const t0 = performance.now();
      talk.send(step.line);
      await talk.waitFor(step.until, target.timeoutMs);
      latencies.push(performance.now() - t0);
    }
    talk.send('exit');
    socket.end();
    return { ok: true, stepLatenciesMs: latencies, loginMs, connectMs, totalMs: performance.now() - started };
  } catch (error) {
    return { ok: false, error: (error as Error).message, stepLatenciesMs: latencies, loginMs, connectMs, totalMs: performance.now() - started };
  } finally {
    socket?.destroy();
  }
}

/** Tries wrong passwords as fast as the server answers; returns the number of failed logins seen. */
export async function bruteForce(target: BotTarget, attempts: number): Promise<number> {
  let failures = 0;
  while (failures < attempts) {
    const socket = await openConnection(target);
    const talk = new Conversation(socket);
    try {
      for (;;) {
        await talk.waitFor('login: ', target.timeoutMs);
        if (failures >= attempts) break;
        talk.send(target.username);
        await talk.waitFor('assword: ', target.timeoutMs);
        talk.send(`wrong-${failures}`);
        await talk.waitFor('incorrect', target.timeoutMs);
        failures += 1;
      }
    } catch {
      // The server closes after its attempt limit: reconnect and go on.
    } finally {
      socket.destroy();
    }
  }
  return failures;
}
