// The packet capture of one relayed session, shared by the TCP and SSH relays: opened with the
// session, fed each chunk with its time, closed with who ended it; past its cap the relay goes on,
// and the end is told as session.limit (capture-bytes) and relay.capture events.
import type { CloseReason } from '../core/events.ts';
import type { Clock, SessionEmitter } from '../core/ports.ts';

/** Encodes the conversation as packets (pcapng); each call returns bytes to append to the file. */
export interface PacketCapture {
  header(): Uint8Array;
  open(tsMs: number): Uint8Array;
  data(from: 'client' | 'server', bytes: Uint8Array, tsMs: number): Uint8Array;
  close(tsMs: number, by: 'client' | 'server' | 'reset'): Uint8Array;
}

/** Where the capture's bytes go; false once its cap is reached. */
export interface CaptureSink {
  append(bytes: Uint8Array): boolean;
  close(): Promise<{ readonly path: string; readonly bytes: number; readonly truncated: boolean }>;
}

export interface SessionCapture {
  data(from: 'client' | 'server', bytes: Uint8Array): void;
  /** Writes the closing packets and the events; call once, after the session ended. */
  close(reason: CloseReason | null): Promise<void>;
}

const noCapture: SessionCapture = { data: () => undefined, close: () => Promise.resolve() };

export function openSessionCapture(capture: { readonly packets: PacketCapture; readonly sink: CaptureSink } | null, events: SessionEmitter, clock: Clock, startedAt: number): SessionCapture {
  if (!capture) return noCapture;
  let full = false;
  const record = (bytes: () => Uint8Array): void => {
    if (!full && !capture.sink.append(bytes())) full = true;
  };
  record(() => capture.packets.header());
  record(() => capture.packets.open(startedAt));
  return {
    data: (from, bytes) => record(() => capture.packets.data(from, bytes, clock.now())),
    async close(reason) {
      record(() => capture.packets.close(clock.now(), reason === 'device-closed' ? 'server' : reason === 'client-closed' ? 'client' : 'reset'));
      const written = await capture.sink.close();
      if (full) events.emit('session.limit', { limit: 'capture-bytes', max: written.bytes, detail: 'packet capture reached its size cap; the relay went on' });
      events.emit('relay.capture', { path: written.path, format: 'pcapng', bytes: written.bytes, truncated: written.truncated });
    },
  };
}
