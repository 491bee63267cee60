// Puts each configured real device behind the recording relay: one listener per device service,
// per-device limits (sessions at once, new sessions per minute: real devices fall over under load),
// a packet capture per session, and events with mode 'real'.
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Endpoint } from '../core/events.ts';
import type { Clock, EventPort, Logger, ShutdownNotice } from '../core/ports.ts';
import type { IdGenerator } from '../core/ids.ts';
import type { DeviceConfig } from '../config/schema.ts';
import type { ConnectionGate } from '../listeners/connection-gate.ts';
import { listenTcp, type TcpListener } from '../listeners/tcp-listener.ts';
import { createPcapngSession } from '../relay/pcapng.ts';
import { relayTcp, type RelayDevice } from '../relay/tcp-relay.ts';
import { createSessionEmitter } from '../sessions/session-emitter.ts';
import type { CaptureStore } from '../storage/capture-fs-store.ts';

export interface RelayServiceOptions {
  readonly devices: readonly DeviceConfig[];
  readonly port: EventPort;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly sensor: string;
  readonly gate: ConnectionGate;
  readonly acceptors: number;
  readonly captures: CaptureStore;
  readonly limits: { readonly idleTimeoutMs: number; readonly maxSessionMs: number };
  readonly shutdown: ShutdownNotice;
  readonly logger: Logger;
}

export interface RelayListenerStatus {
  readonly name: string;
  readonly device: string;
  readonly host: string;
  readonly port: number;
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface RelayService {
  readonly statuses: readonly RelayListenerStatus[];
  /** Stops accepting; open relays end through the shutdown notice. */
  closeListeners(): Promise<void>;
  /** Resolves when every relayed session has ended. */
  idle(): Promise<void>;
}

const MINUTE_MS = 60_000;

export async function startRelayService(options: RelayServiceOptions): Promise<RelayService> {
  const listeners: TcpListener[] = [];
  const statuses: RelayListenerStatus[] = [];
  const sessions = new Set<Promise<void>>();

  for (const config of options.devices) {
    let active = 0;
    let recentStarts: number[] = [];
    for (const service of config.services) {
      const device: RelayDevice = { name: config.name, product: config.product, firmware: config.firmware, address: config.address, port: service.devicePort };
      const onConnection = (socket: Socket, src: Endpoint, dst: Endpoint): void => {
        const fields = { protocol: 'tcp' as const, mode: 'real' as const, persona: config.name, src, dst };
        const events = createSessionEmitter({ port: options.port, ids: options.ids, clock: options.clock, sensor: options.sensor, fields });
        const now = options.clock.now();
        recentStarts = recentStarts.filter((t) => now - t < MINUTE_MS);
        const over =
          active >= config.maxSessions
            ? { limit: 'device-sessions' as const, max: config.maxSessions, detail: `device ${config.name} already has ${active} sessions; connection closed` }
            : recentStarts.length >= config.maxSessionsPerMinute
              ? { limit: 'device-rate' as const, max: config.maxSessionsPerMinute, detail: `device ${config.name} took ${recentStarts.length} sessions in the last minute; connection closed` }
              : null;
        if (over) {
          events.emit('session.limit', over);
          socket.destroy();
          return;
        }
        active += 1;
        recentStarts.push(now);
        const done = relayTcp(socket, {
          device,
          events,
          connect: () => connectDevice(config.address, service.devicePort, config.connectTimeoutMs),
          capture: { packets: createPcapngSession({ client: src, server: { ip: config.address, port: service.devicePort } }), sink: options.captures.open(events.sessionId, config.maxCaptureBytes) },
          clock: options.clock,
          limits: options.limits,
          shutdown: options.shutdown,
        }).finally(() => {
          active -= 1;
          sessions.delete(done);
        });
        sessions.add(done);
      };
      const name = `${config.name}:${service.devicePort}`;
      const result = await listenTcp({ host: service.host, port: service.port, gate: options.gate, onConnection, onRefused: () => undefined, acceptors: options.acceptors, allowHalfOpen: true });
      if (result.ok) {
        listeners.push(result.listener);
        statuses.push({ name, device: config.name, host: service.host, port: result.listener.port, error: null });
      } else {
        options.logger.warn('device service not started', { device: config.name, port: service.port, code: result.code, reason: result.message });
        statuses.push({ name, device: config.name, host: service.host, port: service.port, error: { code: result.code, message: result.message } });
      }
    }
  }
  return {
    statuses,
    closeListeners: async () => {
      await Promise.all(listeners.map((l) => l.close()));
    },
    async idle() {
      await Promise.allSettled([...sessions]);
    },
  };
}

/** Connects to the device, or rejects with an errno code (ETIMEDOUT when it does not answer in time). */
function connectDevice(host: string, port: number, timeoutMs: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`device ${host}:${port} did not answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
