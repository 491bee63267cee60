// The raw TCP recording relay: an attacker's connection and a connection to the real device, bytes
// passed both ways with backpressure, every chunk written to a packet capture with its time, and the
// session told as events (mode 'real'). Works over any two Duplex streams, so tests need no ports.
import type { Duplex } from 'node:stream';
import type { CloseReason } from '../core/events.ts';
import type { Clock, SessionEmitter, ShutdownNotice } from '../core/ports.ts';
import { openSessionCapture, type CaptureSink, type PacketCapture } from './session-capture.ts';

export type { CaptureSink, PacketCapture } from './session-capture.ts';

export interface RelayDevice {
  readonly name: string;
  readonly product: string;
  readonly firmware: string;
  readonly address: string;
  readonly port: number;
}

export interface TcpRelayContext {
  readonly device: RelayDevice;
  readonly events: SessionEmitter;
  /** Opens the connection to the device; rejects (with an errno code) when it cannot. */
  readonly connect: () => Promise<Duplex>;
  readonly capture: { readonly packets: PacketCapture; readonly sink: CaptureSink } | null;
  readonly clock: Clock;
  readonly limits: { readonly idleTimeoutMs: number; readonly maxSessionMs: number };
  readonly shutdown?: ShutdownNotice;
  /** Sees every chunk, for protocol-aware recording (Telnet logins and commands); never slows the bytes. */
  readonly tap?: RelayTap;
}

export interface RelayTap {
  client(bytes: Uint8Array): void;
  server(bytes: Uint8Array): void;
  /** The session is over; called before session.close. */
  end(): void;
}

/** Relays until either side closes; never rejects. Resolves after `session.close`. */
export async function relayTcp(client: Duplex, ctx: TcpRelayContext): Promise<void> {
  const { events, clock, device } = ctx;
  const startedAt = clock.now();
  events.emit('session.connect', {});
  // A protocol tap that throws loses its own observations, never the session or its bytes.
  let tapBroken = false;
  const tapped = (call: () => void): void => {
    if (tapBroken || !ctx.tap) return;
    try {
      call();
    } catch {
      tapBroken = true;
    }
  };
  // Errors on either stream are handled by the close logic; unhandled 'error' would throw.
  client.on('error', () => undefined);

  let server: Duplex;
  try {
    server = await ctx.connect();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'ERROR';
    events.emit('relay.device-error', { device: device.name, stage: 'connect', code, message: error instanceof Error ? error.message : String(error) });
    client.destroy();
    events.emit('session.close', { reason: 'device-unreachable', durationMs: clock.now() - startedAt, bytesIn: 0, bytesOut: 0 });
    return;
  }
  server.on('error', () => undefined);
  events.emit('relay.open', { device: device.name, product: device.product, firmware: device.firmware, deviceAddress: device.address, devicePort: device.port });
  const capture = openSessionCapture(ctx.capture, events, clock, startedAt);

  let bytesIn = 0;
  let bytesOut = 0;
  let reason: CloseReason | null = null;
  let deviceError: NodeJS.ErrnoException | null = null;
  let serverEnded = false;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const finish = (why: CloseReason): void => {
    if (reason !== null) return;
    reason = why;
    resolveDone();
  };

  // One direction: data with backpressure, end as a half-close, errors and closes end the session.
  const pump = (from: Duplex, to: Duplex, side: 'client' | 'server'): void => {
    from.on('data', (chunk: Buffer) => {
      if (side === 'client') bytesIn += chunk.length;
      else bytesOut += chunk.length;
      idle.refresh();
      capture.data(side, chunk);
      tapped(() => (side === 'client' ? ctx.tap?.client(chunk) : ctx.tap?.server(chunk)));
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    });
    from.on('end', () => {
      if (side === 'server') serverEnded = true;
      // The attacker may half-close and still read (HTTP/1.0); once the device is done and its
      // last bytes reached the attacker, the session is over.
      to.end(() => {
        if (side === 'server' || serverEnded) finish(side === 'client' ? 'client-closed' : 'device-closed');
      });
    });
    from.on('close', () => finish(side === 'client' ? 'client-closed' : deviceError ? 'error' : 'device-closed'));
  };
  const idle = setTimeout(() => finish('idle-timeout'), ctx.limits.idleTimeoutMs);
  const longest = setTimeout(() => finish('max-duration'), ctx.limits.maxSessionMs);
  const forget = ctx.shutdown?.onStop(() => finish('shutdown'));
  if (ctx.shutdown?.stopping) finish('shutdown');
  server.on('error', (error: NodeJS.ErrnoException) => (deviceError = error));
  pump(client, server, 'client');
  pump(server, client, 'server');
  // The attacker may have gone while the device was being reached: its close event is past.
  if (client.destroyed) finish('client-closed');

  await done;
  clearTimeout(idle);
  clearTimeout(longest);
  forget?.();
  client.destroy();
  server.destroy();
  tapped(() => ctx.tap?.end());
  const failure = deviceError as NodeJS.ErrnoException | null;
  if (failure !== null && failure.code !== undefined) {
    events.emit('relay.device-error', { device: device.name, stage: 'transfer', code: failure.code, message: failure.message });
  }
  await capture.close(reason);
  events.emit('session.close', { reason: reason ?? 'error', durationMs: Math.max(0, clock.now() - startedAt), bytesIn, bytesOut });
}
