// The attacker's bytes on one session channel as a bounded queue the shell loop reads from: the
// channel is paused while too much waits (as a full pty buffer stops sshd reading), and EOF is kept.
import type { ServerChannel } from 'ssh2';

export interface ChannelInput {
  /** The next chunk, or null at EOF / channel close. */
  next(): Promise<Uint8Array | null>;
  /** Whether bytes are already waiting (typed ahead). */
  readonly pending: boolean;
  stop(): void;
}

const HIGH_WATER = 64 * 1024;

export function readChannel(channel: ServerChannel, onBytes: (bytes: Uint8Array) => void): ChannelInput {
  const queue: Uint8Array[] = [];
  let queued = 0;
  let ended = false;
  let wake: (() => void) | null = null;
  const poke = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const onData = (chunk: Buffer): void => {
    if (ended) return;
    onBytes(chunk);
    queue.push(chunk);
    queued += chunk.length;
    if (queued > HIGH_WATER) channel.pause();
    poke();
  };
  const onEnd = (): void => {
    ended = true;
    poke();
  };
  channel.on('data', onData);
  channel.on('end', onEnd);
  channel.on('close', onEnd);
  return {
    async next() {
      for (;;) {
        const chunk = queue.shift();
        if (chunk !== undefined) {
          queued -= chunk.length;
          if (queued <= HIGH_WATER && channel.isPaused()) channel.resume();
          return chunk;
        }
        if (ended) return null;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
    get pending() {
      return queued > 0;
    },
    stop() {
      ended = true;
      queue.length = 0;
      queued = 0;
      channel.off('data', onData);
      poke();
    },
  };
}
