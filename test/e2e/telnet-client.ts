// A scripted Telnet client for end-to-end tests: answers negotiation like a plain bot, sends
// lines and returns the device's reply to each (the text between the echoed line and the prompt).
import { connect, type Socket } from 'node:net';

const IAC = 0xff;

export class TelnetTestClient {
  private buffer = '';
  private socket: Socket;
  private closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static connect(port: number, host = '127.0.0.1'): Promise<TelnetTestClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host });
      socket.once('connect', () => resolve(new TelnetTestClient(socket)));
      socket.once('error', reject);
    });
  }

  private receive(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === IAC && chunk[i + 1] === IAC) {
        this.buffer += '\xff'; // an escaped data byte 255 (binary output)
        i += 1;
        continue;
      }
      if (byte === IAC && i + 2 < chunk.length && chunk[i + 1]! >= 251) {
        const verb = chunk[i + 1]!;
        if (verb === 253) this.socket.write(Buffer.from([IAC, 252, chunk[i + 2]!]));
        i += 2;
        continue;
      }
      this.buffer += String.fromCharCode(byte);
    }
    // Like most bots, this client has no terminal to answer BusyBox's cursor-position query.
    this.buffer = this.buffer.replaceAll('\x1b[6n', '');
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Waits until the received text matches, then returns and consumes everything up to the match end. */
  async waitFor(pattern: RegExp, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.buffer);
      if (match) {
        const end = match.index + match[0].length;
        const taken = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end);
        return taken;
      }
      if (this.closed) throw new Error(`closed while waiting for ${String(pattern)}; got ${JSON.stringify(this.buffer)}`);
      if (Date.now() > deadline) throw new Error(`timeout waiting for ${String(pattern)}; got ${JSON.stringify(this.buffer.slice(-500))}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  sendRaw(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  /** Logs in; returns true when a shell prompt follows. */
  async login(username: string, password: string): Promise<boolean> {
    await this.waitFor(/login: $/);
    this.sendRaw(`${username}\r\n`);
    await this.waitFor(/Password: $/);
    this.sendRaw(`${password}\r\n`);
    const reply = await this.waitFor(/(login: |[#$] )$/, 10_000);
    return /[#$] $/.test(reply);
  }

  /** Sends one command line and returns the reply without the echoed line and the next prompt. */
  async run(line: string, timeoutMs = 5000): Promise<string> {
    this.sendRaw(`${line}\r\n`);
    let reply = await this.waitFor(/[#$] $/, timeoutMs);
    // A prompt-like "# " inside the output: keep reading while more arrives quickly.
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      if (this.buffer.length === 0) break;
      reply += await this.waitFor(/[#$] $/, timeoutMs);
    }
    const echoed = `${line}\r\n`;
    const at = reply.indexOf(echoed);
    const body = at >= 0 ? reply.slice(at + echoed.length) : reply;
    return body.replace(/\r?\n?[^\n]*[#$] $/, '');
  }

  close(): void {
    this.socket.destroy();
  }
}
