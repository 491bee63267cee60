// The one typed event union: every observable thing hachi records is one of these, with a stable
// dotted id. Payload types and the runtime catalogue below are kept in lockstep by the type checker.

export const SCHEMA_VERSION = 1;

export type Protocol = 'telnet' | 'ssh' | 'http' | 'tcp';
export type Mode = 'emulated' | 'real';

export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

export type CloseReason =
  | 'client-closed'
  | 'exit'
  | 'idle-timeout'
  | 'max-duration'
  | 'limit'
  | 'login-failed'
  | 'shutdown'
  | 'error';

export type LimitName =
  | 'line-length'
  | 'input-bytes'
  | 'output-bytes'
  | 'subnegotiation'
  | 'login-attempts'
  | 'connections-per-source'
  | 'connections-total'
  | 'commands'
  | 'file-size'
  | 'session-files'
  | 'loop-iterations'
  | 'recursion';

export type DownloadTool = 'wget' | 'curl' | 'tftp' | 'ftpget' | 'nc';

/** How a fetch of a URL a bot named ended. */
export type DownloadOutcome =
  | 'ok'
  | 'server-error'
  | 'refused'
  | 'timeout'
  | 'stalled'
  | 'too-large'
  | 'too-many-redirects'
  | 'blocked'
  | 'dns-failed'
  | 'protocol-error'
  | 'error'
  | 'disabled'
  | 'queue-full'
  | 'bad-url'
  | 'unsupported';

/** Payload of each event id. Adding an event means adding it here and to `eventCatalogue`. */
export interface EventPayloads {
  'sensor.start': { readonly version: string; readonly services: readonly { service: string; host: string; port: number; persona: string }[] };
  'sensor.stop': { readonly reason: string };
  'listener.error': { readonly service: string; readonly host: string; readonly port: number; readonly code: string; readonly message: string };
  'session.connect': Record<string, never>;
  'session.close': { readonly reason: CloseReason; readonly durationMs: number; readonly bytesIn: number; readonly bytesOut: number };
  'session.limit': { readonly limit: LimitName; readonly max: number; readonly detail: string };
  'session.recording': { readonly path: string; readonly format: 'asciicast-v2'; readonly bytes: number };
  'telnet.negotiation': { readonly terminalType: string | null; readonly width: number | null; readonly height: number | null; readonly options: readonly string[] };
  'auth.attempt': { readonly method: 'password'; readonly username: string; readonly password: string; readonly success: boolean; readonly attempt: number };
  'command.input': { readonly line: string };
  'command.unknown': { readonly command: string; readonly line: string };
  'file.write': { readonly path: string; readonly sha256: string; readonly size: number; readonly reason: 'close' | 'exec' | 'delete' | 'overwrite' | 'session-end' };
  'download.attempt': { readonly tool: DownloadTool; readonly url: string; readonly outputPath: string | null; readonly line: string };
  'exec.attempt': { readonly path: string; readonly argv: readonly string[]; readonly sha256: string | null; readonly size: number | null };
  'download.fetch': {
    readonly tool: DownloadTool;
    readonly url: string;
    readonly finalUrl: string;
    readonly outcome: DownloadOutcome;
    readonly status: string | null;
    readonly bytes: number;
    readonly sha256: string | null;
    readonly address: string | null;
    readonly durationMs: number;
    readonly redirects: number;
    readonly shared: boolean;
    readonly detail: string;
    readonly parent: string | null;
    readonly depth: number;
  };
}

export type EventType = keyof EventPayloads;

interface EventEnvelope<K extends EventType> {
  /** Unique, lexicographically sortable (ULID). */
  readonly id: string;
  readonly type: K;
  /** Milliseconds since the epoch. */
  readonly ts: number;
  readonly schema: typeof SCHEMA_VERSION;
  readonly sensor: string;
  readonly data: EventPayloads[K];
}

/** Fields every session-bound event carries. */
export interface SessionFields {
  readonly session: string;
  readonly protocol: Protocol;
  readonly mode: Mode;
  readonly persona: string;
  readonly src: Endpoint;
  readonly dst: Endpoint;
}

export const sensorEventTypes = ['sensor.start', 'sensor.stop', 'listener.error'] as const;
export type SensorEventType = (typeof sensorEventTypes)[number];
export type SessionEventType = Exclude<EventType, SensorEventType>;

export type SensorEvent = { [K in SensorEventType]: EventEnvelope<K> }[SensorEventType];
export type SessionEvent = { [K in SessionEventType]: EventEnvelope<K> & SessionFields }[SessionEventType];
export type HachiEvent = SensorEvent | SessionEvent;
export type EventOf<K extends EventType> = Extract<HachiEvent, { type: K }>;

export function isSessionEvent(event: HachiEvent): event is SessionEvent {
  return 'session' in event;
}

interface CatalogueEntry<K extends EventType> {
  readonly description: string;
  /** Every payload field, described; the type checker forces exactly the payload's keys. */
  readonly fields: { readonly [F in keyof EventPayloads[K]]-?: string };
}

/** Runtime catalogue of every event id; docs/events.md is checked against it by a test. */
export const eventCatalogue: { readonly [K in EventType]: CatalogueEntry<K> } = {
  'sensor.start': {
    description: 'hachi started; lists the services that are listening.',
    fields: { version: 'hachi version', services: 'service name, bound host and port, persona served' },
  },
  'sensor.stop': { description: 'hachi is stopping after closing its sessions.', fields: { reason: 'signal or cause' } },
  'listener.error': {
    description: 'A service could not bind its port; the other services keep running.',
    fields: { service: 'service name', host: 'bind host', port: 'bind port', code: 'system error code (EADDRINUSE, EACCES, ...)', message: 'explanation' },
  },
  'session.connect': { description: 'A client connected to a service.', fields: {} },
  'session.close': {
    description: 'A session ended.',
    fields: { reason: 'why it ended', durationMs: 'session length in ms', bytesIn: 'bytes received', bytesOut: 'bytes sent' },
  },
  'session.limit': {
    description: 'A session hit a limit; the session is closed cleanly or the input is cut.',
    fields: { limit: 'which limit', max: 'the configured maximum', detail: 'what happened' },
  },
  'session.recording': {
    description: 'The terminal recording of a session was written.',
    fields: { path: 'recording path relative to the data directory', format: 'recording format', bytes: 'file size' },
  },
  'telnet.negotiation': {
    description: 'What the Telnet client negotiated (sent once, at login).',
    fields: { terminalType: 'TTYPE reply or null', width: 'NAWS width or null', height: 'NAWS height or null', options: 'options the client agreed to' },
  },
  'auth.attempt': {
    description: 'A login attempt and whether the persona accepted it.',
    fields: { method: 'authentication method', username: 'user name as typed', password: 'password as typed', success: 'accepted or not', attempt: '1-based attempt number in the session' },
  },
  'command.input': { description: 'A command line the attacker entered.', fields: { line: 'the line as received' } },
  'command.unknown': {
    description: 'A command the device does not have.',
    fields: { command: 'command name', line: 'the whole line' },
  },
  'file.write': {
    description: 'A file the attacker created or changed, stored by SHA-256 in the artifact store.',
    fields: { path: 'path in the emulated filesystem', sha256: 'content hash (artifact id)', size: 'bytes', reason: 'the moment it was captured' },
  },
  'download.attempt': {
    description: 'A download tool was run with a URL.',
    fields: { tool: 'wget, curl, tftp, ftpget or nc', url: 'the URL or host:port named', outputPath: 'where the file would be written', line: 'the whole command line' },
  },
  'download.fetch': {
    description: 'hachi fetched (or refused to fetch) a URL a bot named; may arrive after session.close. The payload is in the artifact store under sha256.',
    fields: {
      tool: 'the tool that named the URL (wget, curl, tftp, ftpget)',
      url: 'the URL as named',
      finalUrl: 'the URL after redirects',
      outcome: 'ok, server-error, refused, timeout, stalled, too-large, too-many-redirects, blocked (SSRF guard), dns-failed, protocol-error, error, disabled (record-only), queue-full, bad-url or unsupported',
      status: 'HTTP status, TFTP error code or FTP reply code, when one came',
      bytes: 'payload bytes received (also when cut at the limit)',
      sha256: 'payload hash when the fetch succeeded',
      address: 'the IP address contacted, or null',
      durationMs: 'time from request to result',
      redirects: 'HTTP redirects followed',
      shared: 'true when the result came from a fetch of the same URL already done or running',
      detail: 'what happened, for people',
      parent: 'sha256 of the dropper script that named the URL, or null when typed in the session',
      depth: '0 for URLs typed in the session, 1 for URLs in a script fetched there, and so on',
    },
  },
  'exec.attempt': {
    description: 'The attacker tried to run a dropped or existing file.',
    fields: { path: 'path run', argv: 'arguments', sha256: 'content hash when the file exists', size: 'file size when it exists' },
  },
};

export const eventTypes = Object.keys(eventCatalogue) as EventType[];
