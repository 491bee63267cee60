// Puts each configured real device behind the recording relay: one listener per device service,
// per-device limits (sessions at once, new sessions per minute: real devices fall over under load),
// a packet capture per session, and events with mode 'real'.
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Endpoint, EventPayloads, SensorEventType } from '../core/events.ts';
import type { Clock, EventPort, Logger, SessionEmitter, ShutdownNotice } from '../core/ports.ts';
import type { IdGenerator } from '../core/ids.ts';
import type { DeviceConfig, DeviceHttpConfig, DeviceServiceConfig } from '../config/schema.ts';
import type { ConnectionGate } from '../listeners/connection-gate.ts';
import { listenTcp, type TcpListener } from '../listeners/tcp-listener.ts';
import { createHealthMonitor, systemTimers, tcpProbe, type HealthMonitor } from '../relay/device-health.ts';
import { createDeviceState, type DeviceState, type DeviceStatus, type ResetRequest } from '../relay/device-state.ts';
import { createPcapngSession } from '../relay/pcapng.ts';
import { runResetHook } from '../relay/reset-hook.ts';
import { relayTcp, type RelayDevice, type RelayTap } from '../relay/tcp-relay.ts';
import { prepareSshService, type SshService, type SshServiceOptions } from './relay-ssh.ts';
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
  /** Publishes sensor events (device.health, device.reset). */
  readonly publishSensor: <K extends SensorEventType>(type: K, data: EventPayloads[K]) => void;
  /** The protocol-aware recorder of a relayed Telnet session (logins, commands, output, files). */
  readonly telnetTap: (events: SessionEmitter, device: DeviceConfig) => RelayTap & { readonly done: () => Promise<void> };
  /** The recorder of a relayed HTTP session (each request and response); without it http is relayed as raw TCP. */
  readonly httpTap?: (events: SessionEmitter, limits: DeviceHttpConfig, device: DeviceConfig) => RelayTap & { readonly done: () => Promise<void> };
  /** The recorder of a relayed SSH session (commands, output, uploads) and where generated host keys are kept. */
  readonly ssh?: { readonly tap: SshServiceOptions['tap']; readonly keyDir: string; readonly maxInputBytes: number };
  /** The device's fallback persona (emulated) for a service of this protocol and device port; null when it has none (ssh, tcp, no web server). */
  readonly fallback: (protocol: DeviceServiceConfig['protocol'], persona: string, devicePort: number) => ((socket: Socket, src: Endpoint, dst: Endpoint) => Promise<void>) | null;
}

export interface RelayListenerStatus {
  readonly name: string;
  readonly protocol: DeviceServiceConfig['protocol'];
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
  /** State, sessions and last reset of each device (`hachi devices`). */
  devices(): readonly DeviceStatus[];
  /** `hachi devices reset NAME`; null when there is no such device. */
  reset(name: string): ResetRequest | null;
  /** A compromise indicator fired for the device (device.egress, a new listening port). */
  indicator(name: string, reason: string): ResetRequest | null;
  /** Stops probes, schedules and waiting sessions (call with closeListeners at shutdown). */
  stopDevices(): void;
}

const MINUTE_MS = 60_000;

export async function startRelayService(options: RelayServiceOptions): Promise<RelayService> {
  const listeners: TcpListener[] = [];
  const statuses: RelayListenerStatus[] = [];
  const sessions = new Set<Promise<void>>();
  const states = new Map<string, DeviceState>();
  const monitors: HealthMonitor[] = [];

  for (const config of options.devices) {
    let recentStarts: number[] = [];
    const { state, monitor } = watchDevice(config, options);
    states.set(config.name, state);
    if (monitor) monitors.push(monitor);
    for (const service of config.services) {
      const device: RelayDevice = { name: config.name, product: config.product, firmware: config.firmware, address: config.address, port: service.devicePort };
      let ssh: SshService | null = null;
      if (service.protocol === 'ssh') {
        const connect = (): Promise<Duplex> => connectDevice(config.address, service.devicePort, config.connectTimeoutMs);
        const wiring = options.ssh;
        try {
          if (!wiring) throw new Error('the SSH relay is not available in this process');
          const limits = { ...options.limits, maxInputBytes: wiring.maxInputBytes };
          ssh = await prepareSshService({ config, ssh: service.ssh, device, keyDir: wiring.keyDir, connect, captures: options.captures, clock: options.clock, limits, shutdown: options.shutdown, tap: wiring.tap, logger: options.logger });
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          options.logger.warn('device service not started', { device: config.name, port: service.port, code: 'SSH_SETUP', reason: message });
          statuses.push({ name: `${config.name}:${service.devicePort}`, protocol: service.protocol, device: config.name, host: service.host, port: service.port, error: { code: 'SSH_SETUP', message } });
          continue;
        }
      }
      const onConnection = (socket: Socket, src: Endpoint, dst: Endpoint): void => {
        const fields = { protocol: service.protocol, mode: 'real' as const, persona: config.name, src, dst };
        const events = createSessionEmitter({ port: options.port, ids: options.ids, clock: options.clock, sensor: options.sensor, fields });
        const now = options.clock.now();
        recentStarts = recentStarts.filter((t) => now - t < MINUTE_MS);
        if (recentStarts.length >= config.maxSessionsPerMinute) {
          events.emit('session.limit', { limit: 'device-rate', max: config.maxSessionsPerMinute, detail: `device ${config.name} took ${recentStarts.length} sessions in the last minute; connection closed` });
          socket.destroy();
          return;
        }
        recentStarts.push(now);
        const serve = async (): Promise<void> => {
          // Full, down or resetting: the session waits up to admitWaitMs (the socket buffers what the attacker sends).
          const admission = await state.acquire(config.admitWaitMs);
          if (!admission.ok) {
            if (admission.state === 'full') events.emit('session.limit', { limit: 'device-sessions', max: config.maxSessions, detail: `${admission.reason}; connection closed` });
            // A Telnet or HTTP attacker meets the same model, emulated, rather than a closed door.
            const serveEmulated = config.persona !== undefined && !socket.destroyed ? options.fallback(service.protocol, config.persona, service.devicePort) : null;
            events.emit('relay.unavailable', { device: config.name, state: admission.state, reason: admission.reason, waitedMs: options.clock.now() - now, served: serveEmulated === null ? 'refused' : 'persona' });
            if (serveEmulated === null) socket.destroy();
            else await serveEmulated(socket, src, dst);
            return;
          }
          try {
            if (socket.destroyed) return; // the attacker left while waiting
            if (ssh) return await ssh(socket, events, src);
            const tap = service.protocol === 'telnet' ? options.telnetTap(events, config) : service.protocol === 'http' ? (options.httpTap?.(events, service.http, config) ?? null) : null;
            await relayTcp(socket, {
              device,
              events,
              connect: () => connectDevice(config.address, service.devicePort, config.connectTimeoutMs),
              capture: { packets: createPcapngSession({ client: src, server: { ip: config.address, port: service.devicePort } }, { largeSegments: true }), sink: options.captures.open(events.sessionId, config.maxCaptureBytes) },
              clock: options.clock,
              limits: options.limits,
              shutdown: options.shutdown,
              ...(tap ? { tap } : {}),
            });
            await tap?.done();
          } finally {
            state.sessionEnded();
          }
        };
        const done = serve().finally(() => sessions.delete(done));
        sessions.add(done);
      };
      const name = `${config.name}:${service.devicePort}`;
      const result = await listenTcp({ host: service.host, port: service.port, gate: options.gate, onConnection, onRefused: () => undefined, acceptors: options.acceptors, allowHalfOpen: true });
      if (result.ok) {
        listeners.push(result.listener);
        statuses.push({ name, protocol: service.protocol, device: config.name, host: service.host, port: result.listener.port, error: null });
      } else {
        options.logger.warn('device service not started', { device: config.name, port: service.port, code: result.code, reason: result.message });
        statuses.push({ name, protocol: service.protocol, device: config.name, host: service.host, port: service.port, error: { code: result.code, message: result.message } });
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
    devices: () => [...states.values()].map((s) => s.status()),
    reset: (name) => states.get(name)?.demand() ?? null,
    indicator: (name, reason) => {
      const state = states.get(name);
      if (!state) return null;
      options.logger.warn('compromise indicator', { device: name, reason });
      return state.indicator(reason);
    },
    stopDevices() {
      for (const m of monitors) m.stop();
      for (const s of states.values()) s.stop();
    },
  };
}

/** A device's admission state, its health probes and its reset hook, publishing device.health and device.reset. */
function watchDevice(config: DeviceConfig, options: RelayServiceOptions): { state: DeviceState; monitor: HealthMonitor | null } {
  let monitor: HealthMonitor | null = null;
  const hook = config.reset;
  const state = createDeviceState({
    name: config.name,
    maxSessions: config.maxSessions,
    reset: hook
      ? {
          run: () => runResetHook({ argv: hook.command, timeoutMs: hook.timeoutMs, device: { name: config.name, address: config.address } }),
          afterSessions: hook.afterSessions,
          everyMs: hook.everyMs,
          settleMs: hook.settleMs,
          drainTimeoutMs: hook.drainTimeoutMs,
        }
      : null,
    // After a reset's settle time: probe at once rather than wait for the next interval.
    check: config.health.enabled ? async () => (monitor ? (await monitor.check()).up : true) : null,
    maxWaiting: config.maxWaiting,
    now: options.clock.now,
    timers: systemTimers,
    onState: (now, status) => options.logger.info('device state', { device: config.name, state: now, active: status.active }),
    onReset: (r) => options.publishSensor('device.reset', { device: config.name, trigger: r.trigger, exitCode: r.exitCode, durationMs: r.durationMs, detail: r.detail }),
  });
  if (config.health.enabled) {
    const probePort = config.health.port ?? config.services[0]!.devicePort;
    monitor = createHealthMonitor({
      probe: () => tcpProbe(config.address, probePort, config.health.timeoutMs),
      intervalMs: config.health.intervalMs,
      // tcpProbe has its own timeout; this only catches a probe that never settles.
      timeoutMs: config.health.timeoutMs + 1000,
      now: options.clock.now,
      onChange: (h) => {
        options.publishSensor('device.health', { device: config.name, up: h.up, latencyMs: h.latencyMs, detail: h.detail });
        state.healthChanged(h.up);
      },
    });
  }
  return { state, monitor };
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
