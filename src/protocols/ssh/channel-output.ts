// Output side of one session channel: a pty's onlcr (`\n` → `\r\n`), the recording, backpressure,
// and the end of a channel as OpenSSH sends it: the last data, EOF, exit-status, then close.
import type { ServerChannel } from 'ssh2';
import type { ShellIo } from '../../core/ports.ts';
import { toTerminal } from '../telnet/connection.ts';
import type { TerminalRecorder } from '../telnet/recorder.ts';

export interface ChannelOutput extends ShellIo {
  /** The line editor's echo: already has its CR LF, so no onlcr. */
  echo(bytes: Uint8Array): void;
  /** Resolves when the channel has room again (the client's window opened) or it closed. */
  drained(): Promise<void>;
  /** Flushes, then EOF, exit-status and close; never throws. */
  finish(status: number): Promise<void>;
}

const encoder = new TextEncoder();
/** How long the last output may take to reach the client before the channel is closed anyway. */
const FLUSH_MS = 5000;

export function channelOutput(channel: ServerChannel, pty: boolean, recorder: TerminalRecorder | null, onBytes: (n: number) => void): ChannelOutput {
  let finished = false;
  const writable = (): boolean => !finished && channel.writable && !channel.destroyed;
  const send = (bytes: Uint8Array): void => {
    if (bytes.length === 0 || !writable()) return;
    recorder?.output(bytes);
    onBytes(bytes.length);
    channel.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  };
  return {
    write(data) {
      const raw = typeof data === 'string' ? encoder.encode(data) : data;
      send(pty ? toTerminal(raw, 'all') : raw);
    },
    echo: send,
    async drained() {
      if (!writable() || !channel.writableNeedDrain) return;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          channel.off('drain', done);
          channel.off('close', done);
          resolve();
        };
        channel.on('drain', done);
        channel.on('close', done);
      });
    },
    async finish(status) {
      if (finished) return;
      const open = writable();
      finished = true;
      if (!open) return void channel.close();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, FLUSH_MS);
        timer.unref();
        channel.write(Buffer.alloc(0), () => {
          clearTimeout(timer);
          resolve();
        });
      });
      try {
        channel.eof();
        exitAfterEof(channel, status);
        channel.close();
      } catch {
        // a channel the client already closed: nothing more to send
      }
    },
  };
}

/**
 * ssh2 sends exit-status only while the channel is still open for writing; OpenSSH sends it after
 * the EOF of the output. The library's channel state is lent back for that one request when it
 * has the shape this was written against (ssh2 1.17); otherwise the status is still sent, first.
 */
function exitAfterEof(channel: ServerChannel, status: number): void {
  const outgoing: unknown = Reflect.get(channel, 'outgoing');
  if (typeof outgoing === 'object' && outgoing !== null && Reflect.get(outgoing, 'state') === 'eof') {
    Reflect.set(outgoing, 'state', 'open');
    try {
      channel.exit(status);
    } finally {
      Reflect.set(outgoing, 'state', 'eof');
    }
    return;
  }
  channel.exit(status);
}
