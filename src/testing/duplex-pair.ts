// An in-memory connected pair of Duplex streams, so sessions are tested without ports.
import { Duplex } from 'node:stream';

export interface DuplexPair {
  /** The side given to the session under test. */
  readonly server: Duplex;
  /** The side the test writes to and reads from, as a client would. */
  readonly client: Duplex;
}

export function createDuplexPair(): DuplexPair {
  const sides: { server?: Duplex; client?: Duplex } = {};
  const make = (peer: () => Duplex | undefined): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        peer()?.push(chunk);
        callback();
      },
      final(callback) {
        peer()?.push(null);
        callback();
      },
      destroy(error, callback) {
        const other = peer();
        if (other && !other.readableEnded) other.push(null);
        callback(error);
      },
    });
  const server = make(() => sides.client);
  const client = make(() => sides.server);
  sides.server = server;
  sides.client = client;
  return { server, client };
}

/** Collects what a Duplex side receives; `text()` is latin1 so bytes map 1:1 to chars. */
export function collect(stream: Duplex): { bytes(): Buffer; text(): string; waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<string> } {
  const chunks: Buffer[] = [];
  const waiters: (() => void)[] = [];
  stream.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    for (const wake of waiters.splice(0)) wake();
  });
  const bytes = (): Buffer => Buffer.concat(chunks);
  const text = (): string => bytes().toString('latin1');
  const matches = (pattern: RegExp | string): boolean => (typeof pattern === 'string' ? text().includes(pattern) : pattern.test(text()));
  const waitFor = async (pattern: RegExp | string, timeoutMs = 2000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    while (!matches(pattern)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${String(pattern)}; got ${JSON.stringify(text())}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return text();
  };
  return { bytes, text, waitFor };
}
