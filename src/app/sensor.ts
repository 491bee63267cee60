// The composition root: builds every concrete object from the parsed config, binds the services
// and wires each accepted connection to a Telnet session on its persona. Nothing else news up
// stores, sinks or listeners.
import { watchControlRequests } from './control-requests.ts';
import { startRelayService } from './relay-service.ts';
import { startContainment } from './containment-service.ts';
import { createFsCaptureStore } from '../storage/capture-fs-store.ts';
import { createAppendThread } from '../storage/append-thread.ts';
import { createAnalysisService } from './analysis-service.ts';
import { createFetchService } from './fetch-service.ts';
import { createSessionDownloads, type SessionDownloads } from '../collect/session-downloads.ts';
import { createDropperFollower } from '../collect/dropper-follow.ts';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import type { Config, DeviceServiceConfig, ServiceConfig } from '../config/schema.ts';
import { HachiError } from '../core/errors.ts';
import type { DownloadTool, Endpoint, EventPayloads, SensorEvent, SensorEventType } from '../core/events.ts';
import { SCHEMA_VERSION } from '../core/events.ts';
import { createIdGenerator } from '../core/ids.ts';
import type { PersonaView } from '../core/persona.ts';
import type { Clock, EventSink, Logger, SessionEmitter, ShutdownNotice } from '../core/ports.ts';
import { createCapture, type Capture } from '../capture/capture.ts';
import { personaFileMatcher } from '../capture/persona-files.ts';
import { createConnectionGate } from '../listeners/connection-gate.ts';
import { listenTcp, type RefusedConnection, type TcpListener } from '../listeners/tcp-listener.ts';
import { loadPersonaPacks } from '../personas/load-pack.ts';
import { createDispatcher, type Dispatcher } from '../pipeline/dispatcher.ts';
import { handleTelnet, type TelnetLimits } from '../protocols/telnet/session.ts';
import { createAuthPolicy, createFailureCounts, type AuthPolicy, type FailureCounts } from '../sessions/auth-policy.ts';
import { LruMap } from '../sessions/lru-map.ts';
import { createSessionEmitter } from '../sessions/session-emitter.ts';
import { commands } from '../shell/commands/index.ts';
import type { ShellLimits } from '../shell/command.ts';
import { createShellFactory } from '../shell/shell-session.ts';
import { createCowVfs } from '../shell/vfs/cow-vfs.ts';
import { liveProcFiles } from '../shell/vfs/live-proc.ts';
import { indexTree, type TreeIndex } from '../shell/vfs/tree-index.ts';
import { openWorkerSink } from '../sinks/worker-sink.ts';
import { createFsArtifactStore } from '../storage/artifact-fs-store.ts';
import { createFsRecordingStore } from '../storage/recording-fs-store.ts';
import { defaultServices } from './default-services.ts';
import { webPortOf } from './http-service.ts';
import { createHttpWiring } from './http-wiring.ts';
import { createSshHandler } from './ssh-service.ts';
import { relayTaps } from './relay-taps.ts';
import { createWebResponder } from '../web/web-responder.ts';
import { fallbackNotFoundResponder } from './http-fallbacks.ts';
import { startDashboard, type DashboardStatus } from './dashboard-service.ts';

export interface SensorOptions {
  readonly config: Config;
  readonly dataDir: string;
  readonly personaDir: string;
  readonly logger: Logger;
  readonly version: string;
  readonly sensorId: string;
}

export interface ServiceStatus {
  readonly name: string;
  readonly protocol: ServiceConfig['protocol'] | DeviceServiceConfig['protocol'] | 'sinkhole-tcp' | 'sinkhole-udp';
  readonly persona: string;
  readonly host: string;
  /** The bound port (differs from the configured one when that was 0). */
  readonly port: number;
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface Sensor {
  readonly services: readonly ServiceStatus[];
  readonly dispatcher: Dispatcher;
  /** The dashboard's query API (its own listener); null when disabled. */
  readonly dashboard: DashboardStatus | null;
  /** Stops listening, ends open sessions, flushes every sink. */
  stop(reason: string): Promise<void>;
}

/** Refused-connection events are coalesced to one per source per this window. */
const REFUSAL_WINDOW_MS = 10_000;
/** Output of one relayed command kept in its relay.output event (the capture has all of it). */
const RELAY_OUTPUT_BYTES = 64 * 1024;
/** Retention counts in days: an hourly sweep is enough. */
const ARTIFACT_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export async function startSensor(options: SensorOptions): Promise<Sensor> {
  const { config, dataDir, logger, sensorId } = options;
  await mkdir(dataDir, { recursive: true });
  const personas = new Map((await loadPersonaPacks(options.personaDir)).map((p) => [p.id, p]));
  const services = config.services ?? defaultServices([...personas.values()]);
  for (const service of services) {
    if (!personas.has(service.persona)) {
      throw new HachiError('HACHI_ERR_PERSONA_NOT_FOUND', `service "${service.name}": persona "${service.persona}" not found in ${options.personaDir} (have: ${[...personas.keys()].join(', ')})`);
    }
    // Without the device's own sshd profile, ssh2's banner and algorithm lists would give hachi away.
    if (service.protocol === 'ssh' && personas.get(service.persona)?.ssh === undefined) {
      throw new HachiError('HACHI_ERR_CONFIG', `service "${service.name}": persona "${service.persona}" has no ssh.yaml (the device's sshd: identification, algorithms, host keys); SSH cannot be served for it`);
    }
  }
  for (const device of config.devices) {
    if (device.persona !== undefined && !personas.has(device.persona)) {
      throw new HachiError('HACHI_ERR_PERSONA_NOT_FOUND', `device "${device.name}": persona "${device.persona}" not found in ${options.personaDir} (have: ${[...personas.keys()].join(', ')})`);
    }
  }

  const clock: Clock = { now: () => Date.now() };
  const ids = createIdGenerator({ now: clock.now, randomBytes: (n) => randomBytes(n) });
  const dispatcher = createDispatcher({ sinks: await openSinks(config, dataDir), logger, spool: { dir: join(dataDir, 'spool'), maxBytesPerSink: 512 * 1024 * 1024 } });
  const publishSensor = <K extends SensorEventType>(type: K, data: EventPayloads[K]): void => {
    dispatcher.publish({ id: ids(), type, ts: clock.now(), schema: SCHEMA_VERSION, sensor: sensorId, data } as SensorEvent);
  };  const artifacts = createFsArtifactStore({
    dataDir,
    maxTotalBytes: config.artifacts.maxTotalBytes,
    evict: config.artifacts.evict,
    minAgeMs: config.artifacts.evictMinAgeMs,
    retentionDays: config.artifacts.retentionDays,
    minFreeBytes: config.artifacts.minFreeDiskBytes,
    now: clock.now,
    onEvict: (sha256, size, reason) => publishSensor('artifact.evicted', { sha256, size, reason }),
  });
  // Retention: one sweep at start (it also builds the store's index before the first put), then hourly.
  const sweepArtifacts = (): void => {
    void artifacts.sweep().catch((error: unknown) => logger.warn('artifact sweep failed', { error: error instanceof Error ? error.message : String(error) }));
  };
  sweepArtifacts();
  const sweepTimer = setInterval(sweepArtifacts, ARTIFACT_SWEEP_INTERVAL_MS);
  sweepTimer.unref();
  const recordings = config.recordings.enabled
    ? createFsRecordingStore({ dataDir, maxBytesPerRecording: config.recordings.maxBytesPerSession, now: clock.now, logger })
    : null;
  const limits = config.sessions;
  const shellLimits: ShellLimits = {
    maxFileBytes: limits.maxFileBytes,
    maxSessionWriteBytes: limits.maxSessionWriteBytes,
    maxOutputBytes: limits.maxOutputBytesPerCommand,
    maxLoopIterations: limits.maxLoopIterations,
    maxRecursion: limits.maxRecursion,
  };
  // Each persona's tree is indexed once and shared read-only by all of its sessions.
  const trees = new Map<string, TreeIndex>([...personas.values()].map((p) => [p.id, indexTree(p.fs)]));
  const personaFiles = new Map([...personas.values()].map((p) => [p.id, personaFileMatcher(p)]));
  const vfsLimits = { maxFileBytes: limits.maxFileBytes, maxSessionWriteBytes: limits.maxSessionWriteBytes, maxFiles: limits.maxSessionFiles };
  const startedAt = clock.now();
  const shells = createShellFactory({ commands, clock, limits: shellLimits, startedAt, createVfs: (p, bootedAt) => createCowVfs(trees.get(p.id) ?? p.fs, vfsLimits, clock, liveProcFiles(bootedAt, clock)) });
  const telnetLimits: TelnetLimits = {
    idleTimeoutMs: limits.idleTimeoutMs,
    maxSessionMs: limits.maxSessionMs,
    maxLineLength: limits.maxLineBytes,
    maxInputBytes: limits.maxInputBytes,
    maxSubnegotiationBytes: 1024,
  };
  const failures: FailureCounts = createFailureCounts();
  const gate = createConnectionGate(config.connections);
  const open = new Set<Socket>();
  const shutdown = createShutdownNotice();
  const sessions = new Set<Promise<void>>();
  // Fetches outlive the session that asked for them; stop() waits a little for them to be recorded.
  const background = new Set<Promise<void>>();
  const fetcher = createFetchService(config.fetch, clock.now);
  const droppers = createDropperFollower(shells, { maxDepth: config.fetch.maxDropperDepth, maxUrlsPerScript: config.fetch.maxUrlsPerScript, maxScriptBytes: 1024 * 1024 });
  const refusals = new LruMap<string, number>(4096);


  const samples = await createAnalysisService(config.analysis, artifacts, publishSensor, logger);

  /** A session's capture and download ports: what it fetches or writes is stored, analysed and followed. */
  const sessionTools = (events: SessionEmitter, persona: PersonaView): { capture: Capture; downloads: SessionDownloads } => {
    const downloads: SessionDownloads = createSessionDownloads({
      fetcher,
      events,
      artifacts,
      logger,
      waitMs: config.fetch.sessionWaitMs,
      userAgent: (tool) => toolUserAgent(tool),
      onPayload: (payload) => {
        samples?.analyse(payload.sha256, payload.bytes);
        void droppers.follow(payload, downloads, persona);
      },
    });
    // Files written with echo/printf are samples like fetched ones: analysed, and followed when scripts.
    const capture = createCapture({
      store: artifacts,
      events,
      logger,
      isPersonaFile: personaFiles.get(persona.id),
      onNewSample: (sha256, bytes) => {
        samples?.analyse(sha256, bytes);
        void droppers.follow({ sha256, bytes, url: '', tool: 'wget', depth: 0 }, downloads, persona);
      },
    });
    return { capture, downloads };
  };

  const startSession = (persona: PersonaView, auth: AuthPolicy, socket: Socket, src: Endpoint, dst: Endpoint): Promise<void> => {
    const events = createSessionEmitter({ port: dispatcher, ids, clock, sensor: sensorId, fields: { protocol: 'telnet', mode: 'emulated', persona: persona.id, src, dst } });
    const { capture, downloads } = sessionTools(events, persona);
    open.add(socket);
    const done = handleTelnet(socket, {
      persona,
      events,
      shells,
      capture,
      downloads,
      auth: ({ username, password }) => auth({ source: src.ip, username, password }),
      recording: recordings?.open(events.sessionId) ?? null,
      recordWithoutLogin: config.recordings.withoutLogin,
      clock,
      limits: telnetLimits,
      shutdown,
    })
      .then(() => capture.idle())
      .finally(() => {
        open.delete(socket);
        sessions.delete(done);
        socket.destroy();
        const fetches = downloads.idle().finally(() => background.delete(fetches));
        background.add(fetches);
      });
    sessions.add(done);
    return done;
  };

  /** Keeps an HTTP session in the sets stop() waits for and ends its socket when it is done. */
  const trackSession = (socket: Socket, run: Promise<void>): Promise<void> => {
    open.add(socket);
    const done = run.finally(() => {
      open.delete(socket);
      sessions.delete(done);
      socket.destroy();
    });
    sessions.add(done);
    return done;
  };

  const onRefused = (persona: PersonaView, refused: RefusedConnection, protocol: ServiceConfig['protocol']): void => {
    const now = clock.now();
    const last = refusals.get(refused.src.ip);
    if (last !== undefined && now - last < REFUSAL_WINDOW_MS) return;
    refusals.set(refused.src.ip, now);
    const events = createSessionEmitter({ port: dispatcher, ids, clock, sensor: sensorId, fields: { protocol, mode: 'emulated', persona: persona.id, src: refused.src, dst: refused.dst } });
    events.emit('session.limit', { limit: refused.limit, max: refused.max, detail: `connection refused; further refusals from this source in the next ${REFUSAL_WINDOW_MS / 1000}s are not recorded` });
  };

  const listeners: TcpListener[] = [];
  const statuses: ServiceStatus[] = [];
  const inBackground = (work: Promise<void>): void => {
    const tracked = work.catch(() => undefined).finally(() => background.delete(tracked));
    background.add(tracked);
  };
  const http = await createHttpWiring({
    config,
    services,
    dataDir,
    logger,
    limits,
    clock,
    shutdown,
    shells,
    sessionTools,
    background: inBackground,
    emitter: (persona, src, dst) => createSessionEmitter({ port: dispatcher, ids, clock, sensor: sensorId, fields: { protocol: 'http', mode: 'emulated', persona: persona.id, src, dst } }),
  });
  for (const service of services) {
    const persona = applyServiceOverrides(personas.get(service.persona)!, service);
    const auth = createAuthPolicy(persona.credentials, failures);
    let onConnection = (socket: Socket, src: Endpoint, dst: Endpoint): unknown => startSession(persona, auth, socket, src, dst);
    if (service.protocol === 'ssh') {
      try {
        const handle = await createSshHandler({
          service,
          persona,
          auth,
          sessionFiles: (p) => {
            const fs = createCowVfs(trees.get(p.id) ?? p.fs, vfsLimits, clock, liveProcFiles(startedAt - p.uptimeSeconds * 1000, clock));
            return { fs, shells: createShellFactory({ commands, clock, limits: shellLimits, startedAt, createVfs: () => fs }) };
          },
          sessions: limits,
          dataDir,
          clock,
          shutdown,
          recordings,
          emitter: (src, dst) => createSessionEmitter({ port: dispatcher, ids, clock, sensor: sensorId, fields: { protocol: 'ssh', mode: 'emulated', persona: persona.id, src, dst } }),
          tools: (events) => sessionTools(events, persona),
          background: inBackground,
        });
        onConnection = (socket, src, dst) => trackSession(socket, handle(socket, src, dst));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        logger.warn('service not started', { service: service.name, code: 'SSH_HOST_KEY', reason: message });
        publishSensor('listener.error', { service: service.name, host: service.host, port: service.port, code: 'SSH_HOST_KEY', message });
        statuses.push({ name: service.name, protocol: service.protocol, persona: persona.id, host: service.host, port: service.port, error: { code: 'SSH_HOST_KEY', message } });
        continue;
      }
    }
    if (service.protocol === 'http') {
      try {
        // A persona without a web server on that port answers like a bare embedded server: 404.
        const handle = await http.handlerFor(service, persona, createWebResponder({ persona, port: webPortOf(persona, service) }) ?? fallbackNotFoundResponder);
        onConnection = (socket, src, dst) => trackSession(socket, handle(socket, src, dst));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        logger.warn('service not started', { service: service.name, code: 'TLS_CERTIFICATE', reason: message });
        publishSensor('listener.error', { service: service.name, host: service.host, port: service.port, code: 'TLS_CERTIFICATE', message });
        statuses.push({ name: service.name, protocol: service.protocol, persona: persona.id, host: service.host, port: service.port, error: { code: 'TLS_CERTIFICATE', message } });
        continue;
      }
    }
    const result = await listenTcp({
      host: service.host,
      port: service.port,
      gate,
      onConnection,
      onRefused: (refused) => onRefused(persona, refused, service.protocol),
      acceptors: config.connections.acceptors,
      // HTTP: pipelined requests sent before the client's FIN are still answered.
      allowHalfOpen: service.protocol === 'http',
    });
    if (result.ok) {
      listeners.push(result.listener);
      statuses.push({ name: service.name, protocol: service.protocol, persona: persona.id, host: service.host, port: result.listener.port, error: null });
    } else {
      logger.warn('service not started', { service: service.name, code: result.code, reason: result.message });
      publishSensor('listener.error', { service: service.name, host: service.host, port: service.port, code: result.code, message: result.message });
      statuses.push({ name: service.name, protocol: service.protocol, persona: persona.id, host: service.host, port: service.port, error: { code: result.code, message: result.message } });
    }
  }
  // Real devices behind the recording relay, with the same connection gate as the personas.
  const fallbackWeb = await http.fallbackWebServers(personas);
  const taps = relayTaps({ personas, shells, sessionTools, exploitFollow: http.exploitFollow, inspector: http.inspector, clock, limits: { maxLineBytes: limits.maxLineBytes, maxOutputBytes: RELAY_OUTPUT_BYTES, maxFileBytes: limits.maxFileBytes, maxSessionWriteBytes: limits.maxSessionWriteBytes } });
  const relays = await startRelayService({
    devices: config.devices,
    port: dispatcher,
    ids,
    clock,
    sensor: sensorId,
    gate,
    acceptors: config.connections.acceptors,
    captures: createFsCaptureStore({ dataDir, now: clock.now, appender: createAppendThread() }),
    limits: { idleTimeoutMs: limits.idleTimeoutMs, maxSessionMs: limits.maxSessionMs },
    shutdown,
    logger,
    publishSensor,
    fallback: (protocol, personaId, devicePort) => {
      const persona = personas.get(personaId)!;
      if (protocol === 'telnet') return (socket, src, dst) => startSession(persona, createAuthPolicy(persona.credentials, failures), socket, src, dst);
      const web = protocol === 'http' ? fallbackWeb.get(`${personaId}:${devicePort}`) : undefined;
      return web ? (socket, src, dst) => trackSession(socket, web(socket, src, dst)) : null;
    },
    telnetTap: taps.telnet,
    httpTap: taps.http,
    ssh: {
      tap: taps.ssh,
      keyDir: join(dataDir, 'relay'),
      maxInputBytes: limits.maxInputBytes,
    },
  });
  const stopControl = watchControlRequests(dataDir, { reset: (device) => relays.reset(device) ?? 'no such device' }, logger);
  // The egress sinkhole and port scans: compromise indicators that may reset a device.
  const containment = await startContainment({
    devices: config.devices,
    sinkhole: config.relay.sinkhole,
    indicatorCooldownMs: config.relay.indicatorCooldownMs,
    maxIndicators: config.relay.maxIndicators,
    requestReset: (device, reason) => relays.indicator(device, reason),
    publishSensor,
    clock,
    logger,
  });
  for (const r of relays.statuses) {
    if (r.error) publishSensor('listener.error', { service: r.name, host: r.host, port: r.port, code: r.error.code, message: r.error.message });
    statuses.push({ name: r.name, protocol: r.protocol, persona: r.device, host: r.host, port: r.port, error: r.error });
  }
  if (containment.sinkhole) {
    // Devices' outbound traffic, redirected here by the firewall (device.egress).
    const host = config.relay.sinkhole.host;
    statuses.push({ name: 'sinkhole', protocol: 'sinkhole-tcp', persona: '-', host, port: containment.sinkhole.tcpPort, error: null });
    statuses.push({ name: 'sinkhole', protocol: 'sinkhole-udp', persona: '-', host, port: containment.sinkhole.udpPort, error: null });
  }
  publishSensor('sensor.start', {
    version: options.version,
    services: statuses.filter((s) => s.error === null).map((s) => ({ service: s.name, host: s.host, port: s.port, persona: s.persona })),
  });

  const dashboard = await startDashboard(config.dashboard, dataDir, logger);

  let stopping: Promise<void> | null = null;
  return {
    services: statuses,
    dispatcher,
    dashboard: dashboard?.status ?? null,
    stop(reason) {
      stopping ??= (async () => {
        await dashboard?.close();
        clearInterval(sweepTimer);
        stopControl();
        relays.stopDevices(); // probes, reset schedules, sessions waiting for a device
        await containment.close(); // port scans, the sinkhole (its pending summaries are published)
        http.stop();
        await Promise.all([...listeners.map((l) => l.close()), relays.closeListeners()]);
        // Sessions end with reason 'shutdown' (capturing their files); a stuck one is cut after 5 s.
        shutdown.stop();
        await Promise.race([Promise.allSettled([...sessions, relays.idle()]), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
        for (const socket of open) socket.destroy();
        // Running fetches are aborted and waiting ones refused, so each still ends with its event.
        fetcher.close();
        await Promise.race([Promise.allSettled([...background]), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
        await Promise.race([samples?.idle(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
        await samples?.close();
        publishSensor('sensor.stop', { reason });
        await dispatcher.close({ timeoutMs: 10_000 });
      })();
      return stopping;
    },
  };
}

/** A set of listeners, not an AbortSignal: EventTarget listeners cost ~0.1 ms each to add. */
function createShutdownNotice(): ShutdownNotice & { stop(): void } {
  const listeners = new Set<() => void>();
  let stopping = false;
  return {
    get stopping() {
      return stopping;
    },
    onStop(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopping = true;
      for (const listener of [...listeners]) listener();
      listeners.clear();
    },
  };
}

/** What each download tool sends as User-Agent: BusyBox wget says just `Wget`. */
function toolUserAgent(tool: DownloadTool): string {
  return tool === 'curl' ? 'curl/7.64.0' : 'Wget';
}

/** Each enabled sink runs in its own worker thread, off the thread that serves attackers. */
async function openSinks(config: Config, dataDir: string): Promise<EventSink[]> {
  const sinks: EventSink[] = [];
  if (config.sinks.sqlite.enabled) sinks.push(await openWorkerSink('sqlite', {}, dataDir));
  if (config.sinks.jsonl.enabled) {
    const { maxFileBytes, maxTotalBytes } = config.sinks.jsonl;
    sinks.push(await openWorkerSink('jsonl', { maxFileBytes, maxTotalBytes }, dataDir));
  }
  return sinks;
}

/** Per-service overrides of the persona's login policy (e.g. no failure delay for benchmarks). */
function applyServiceOverrides(persona: PersonaView, service: ServiceConfig): PersonaView {
  const delay = service.loginFailureDelayMs;
  const acceptAfter = service.acceptAfterFailures;
  if (delay === undefined && acceptAfter === undefined) return persona;
  return {
    ...persona,
    telnet: delay === undefined ? persona.telnet : { ...persona.telnet, loginFailureDelayMs: delay },
    credentials: acceptAfter === undefined ? persona.credentials : { ...persona.credentials, acceptAfterFailures: acceptAfter },
  };
}

