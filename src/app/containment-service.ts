// Compromise watch for the real devices: starts the egress sinkhole and the per-device port scans,
// publishes device.egress, and turns what they see into device.indicator events, asking the relay
// for an indicator reset where the device's reset hook allows it (reset.onIndicator).
import type { DeviceConfig, SinkholeConfig } from '../config/schema.ts';
import type { EventPayloads, SensorEventType } from '../core/events.ts';
import type { Clock, Logger } from '../core/ports.ts';
import { createConntrackLookup } from '../relay/conntrack-lookup.ts';
import { systemTimers } from '../relay/device-health.ts';
import type { ResetRequest } from '../relay/device-state.ts';
import { startEgressSinkhole, type EgressSinkhole } from '../relay/egress-sinkhole.ts';
import { UNKNOWN_SOURCE } from '../relay/egress-source.ts';
import { createIndicatorGate } from '../relay/indicator-gate.ts';
import { createPortWatch, type PortWatch } from '../relay/port-watch.ts';

export interface ContainmentOptions {
  readonly devices: readonly DeviceConfig[];
  readonly sinkhole: SinkholeConfig;
  readonly indicatorCooldownMs: number;
  readonly maxIndicators: number;
  /** The relay service's indicator(): requests the device's indicator reset. */
  readonly requestReset: (device: string, reason: string) => ResetRequest | null;
  readonly publishSensor: <K extends SensorEventType>(type: K, data: EventPayloads[K]) => void;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface Containment {
  /** Bound sinkhole ports; null when the sinkhole is off or could not bind (logged). */
  readonly sinkhole: { readonly tcpPort: number; readonly udpPort: number } | null;
  close(): Promise<void>;
}

const MINUTE_MS = 60_000;

export async function startContainment(options: ContainmentOptions): Promise<Containment> {
  const { logger, clock } = options;
  const byName = new Map(options.devices.map((d) => [d.name, d]));
  const gate = createIndicatorGate({ cooldownMs: options.indicatorCooldownMs, maxPerDevice: options.maxIndicators });

  const indicator = (device: string, kind: EventPayloads['device.indicator']['indicator'], thing: string, detail: string): void => {
    const config = byName.get(device);
    if (!config || !gate.allow(device, `${kind} ${thing}`, clock.now())) return;
    let action: 'reset' | 'none' = 'none';
    if (config.reset?.onIndicator === true) {
      const request = options.requestReset(device, `${kind}: ${detail}`);
      action = request === 'pending' || request === 'already' ? 'reset' : 'none';
    } else {
      logger.warn('compromise indicator', { device, reason: `${kind}: ${detail}`, reset: false });
    }
    options.publishSensor('device.indicator', { device, indicator: kind, detail, action });
  };

  let sinkhole: EgressSinkhole | null = null;
  const s = options.sinkhole;
  if (s.enabled) {
    try {
      sinkhole = await startEgressSinkhole({
        host: s.host,
        tcpPort: s.tcpPort,
        udpPort: s.udpPort,
        previewBytes: s.previewBytes,
        idleTimeoutMs: s.idleTimeoutMs,
        maxConnectionMs: s.maxConnectionMs,
        maxConnections: s.maxConnections,
        eventsPerWindow: s.eventsPerMinute,
        windowMs: MINUTE_MS,
        devices: options.devices,
        lookup:
          s.conntrack === null
            ? null
            : createConntrackLookup({ path: s.conntrack, timeoutMs: 2000, maxInFlight: 4, onUnavailable: (reason) => logger.warn('sinkhole: original destinations unknown (conntrack)', { reason }) }),
        now: clock.now,
        onEgress: (egress) => {
          options.publishSensor('device.egress', egress);
          if (egress.device === UNKNOWN_SOURCE) return;
          const where = egress.dst ? `${egress.dst.ip}:${egress.dst.port}` : 'an unknown destination';
          const thing = egress.dnsName ?? (egress.dst ? where : egress.protocol);
          const times = egress.count > 1 ? ` (${egress.count} attempts in a minute)` : '';
          indicator(egress.device, 'egress', thing, `${egress.protocol} to ${where}${egress.dnsName ? ` asking for ${egress.dnsName}` : ''}${times}`);
        },
        onError: (where, error) => logger.warn('sinkhole socket error', { where, error: error.message }),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'ERROR';
      logger.warn('sinkhole not started', { host: s.host, tcpPort: s.tcpPort, udpPort: s.udpPort, code, reason: error instanceof Error ? error.message : String(error) });
      options.publishSensor('listener.error', { service: 'sinkhole', host: s.host, port: s.tcpPort, code, message: error instanceof Error ? error.message : String(error) });
    }
  }

  const watches: PortWatch[] = [];
  for (const device of options.devices) {
    const w = device.watchPorts;
    if (!w) continue;
    watches.push(
      createPortWatch({
        address: device.address,
        ports: w.ports,
        expected: w.expected ?? null,
        intervalMs: w.intervalMs,
        timeoutMs: w.timeoutMs,
        concurrency: w.concurrency,
        timers: systemTimers,
        onNewPort: (port, open) => indicator(device.name, 'new-port', String(port), `TCP port ${port} is listening (open now: ${open.join(', ')})`),
      }),
    );
  }

  // Held-back indicators are not lost silently: one log line per device and cooldown.
  const report = setInterval(() => {
    for (const [device, count] of gate.takeSuppressed()) logger.warn('compromise indicators held back (rate limit)', { device, count });
  }, options.indicatorCooldownMs);
  report.unref();

  return {
    sinkhole: sinkhole ? { tcpPort: sinkhole.tcpPort, udpPort: sinkhole.udpPort } : null,
    async close() {
      clearInterval(report);
      for (const w of watches) w.stop();
      await sinkhole?.close();
    },
  };
}
