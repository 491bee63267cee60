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
  | 'device-closed'
  | 'device-unreachable'
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
  | 'recursion'
  | 'device-sessions'
  | 'device-rate'
  | 'capture-bytes'
  | 'channels'
  | 'rekeys'
  // HTTP sessions: request head size and header count, body bytes read, requests per connection, slowloris heads.
  | 'header-bytes'
  | 'header-count'
  | 'body-bytes'
  | 'requests'
  | 'header-timeout';

export type AuthMethod = 'password' | 'keyboard-interactive' | 'publickey' | 'http-basic' | 'http-digest' | 'http-form';

/** Header lines in the order they came, names as sent. */
export type HeaderList = readonly (readonly [name: string, value: string])[];

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
  | 'queue-timeout'
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
  'auth.attempt': {
    readonly method: AuthMethod;
    readonly username: string;
    /** The password typed (password, keyboard-interactive); '' for public keys. */
    readonly password: string;
    readonly success: boolean;
    readonly attempt: number;
    /** Public key offered: type and SHA256 fingerprint ("ssh-ed25519 SHA256:..."); null for passwords. */
    readonly key?: string | null;
  };
  'command.input': { readonly line: string };
  'command.unknown': { readonly command: string; readonly line: string };
  'file.write': { readonly path: string; readonly sha256: string; readonly size: number; readonly reason: 'close' | 'exec' | 'delete' | 'overwrite' | 'session-end' | 'upload' };
  'download.attempt': { readonly tool: DownloadTool; readonly url: string; readonly outputPath: string | null; readonly line: string };
  'exec.attempt': { readonly path: string; readonly argv: readonly string[]; readonly sha256: string | null; readonly size: number | null };
  'analysis.file': {
    readonly sha256: string;
    readonly size: number;
    readonly kind: string;
    readonly description: string;
    /** Short CPU tag (arm, mips, mipsel, aarch64, x86, x86-64, ...) for ELF files. */
    readonly arch: string | null;
    readonly machine: string | null;
    readonly elf: {
      readonly bits: number | null;
      readonly endian: string | null;
      readonly osAbi: string | null;
      readonly type: string | null;
      readonly entry: string | null;
      readonly linking: string;
      readonly interpreter: string | null;
      readonly stripped: boolean | null;
      readonly armArch: string | null;
      readonly eabi: number | null;
      readonly sections: number | null;
      readonly segments: number | null;
      readonly problems: readonly string[];
    } | null;
    readonly upx: { readonly version: string | null; readonly magicAltered: boolean; readonly unpacked: string | null; readonly unpackError: string | null } | null;
    readonly tlsh: string | null;
    /** Sample analysed inside this one (UPX-unpacked, gunzipped or unzipped), stored under its own hash. */
    readonly inner: string | null;
    readonly durationMs: number;
  };
  'analysis.indicators': {
    readonly sha256: string;
    readonly ipv4: readonly string[];
    readonly ipv6: readonly string[];
    readonly domains: readonly string[];
    readonly urls: readonly string[];
    readonly hostPorts: readonly string[];
    readonly userAgents: readonly string[];
    readonly credentials: readonly { readonly username: string; readonly password: string }[];
    readonly strings: number;
    readonly truncated: boolean;
  };
  'analysis.family': {
    readonly sha256: string;
    readonly family: string;
    readonly variant: string | null;
    readonly rule: string;
    readonly engine: 'builtin' | 'yara' | 'mirai-table';
    readonly evidence: readonly string[];
  };
  'analysis.mirai': {
    readonly sha256: string;
    readonly key: number;
    readonly cnc: { readonly domain: string | null; readonly port: number | null };
    readonly scanCallback: { readonly domain: string | null; readonly port: number | null };
    readonly killer: readonly string[];
    readonly scanner: readonly string[];
    readonly strings: number;
  };
  'relay.open': {
    readonly device: string;
    readonly product: string;
    readonly firmware: string;
    readonly deviceAddress: string;
    readonly devicePort: number;
  };
  'relay.device-error': { readonly device: string; readonly stage: 'connect' | 'transfer'; readonly code: string; readonly message: string };
  'relay.output': { readonly command: string; readonly text: string; readonly truncated: boolean };
  'relay.unavailable': {
    readonly device: string;
    readonly state: 'full' | 'down' | 'draining' | 'resetting';
    readonly reason: string;
    readonly waitedMs: number;
    readonly served: 'refused' | 'persona';
  };
  'http.request': {
    /** 1-based position of the request on its connection. */
    readonly seq: number;
    readonly method: string;
    /** Path without the query, as sent (not decoded). */
    readonly path: string;
    readonly query: string;
    readonly version: string;
    readonly headers: HeaderList;
    /** Body bytes as latin1 text (every byte kept), cut at the body limit. */
    readonly body: string;
    readonly bodyBytes: number;
    readonly truncated: boolean;
    /** The raw bytes (latin1) of a request an HTTP parser rejects; null when it parsed. */
    readonly raw: string | null;
    readonly error: string | null;
  };
  'http.response': {
    /** The request (seq) it answers. */
    readonly seq: number;
    readonly status: number;
    readonly reason: string;
    readonly version: string;
    readonly headers: HeaderList;
    /** The first body bytes (latin1), cut at the body limit. */
    readonly body: string;
    readonly bodyBytes: number;
    readonly truncated: boolean;
    readonly durationMs: number;
  };
  'exploit.detected': {
    /** The request (seq on its connection) that carried it. */
    readonly seq: number;
    /** Signature id (its file name). */
    readonly signature: string;
    readonly name: string;
    readonly cves: readonly string[];
    readonly vendor: string;
    readonly product: string;
    readonly technique: string;
    readonly classes: readonly string[];
    /** Whether the persona (or real device) served is of an affected class. */
    readonly affected: boolean;
    readonly payload: string | null;
    readonly evidence: string;
  };
  'exploit.candidate': {
    readonly seq: number;
    /** Shape key: method, path template, parameter names and the suspicious content classes. */
    readonly shape: string;
    /** Why it looks like an attack (shell metacharacters, traversal, download tool, ...). */
    readonly reasons: readonly string[];
  };
  'http.scanner': { readonly seq: number; readonly scanner: string; readonly kind: 'research' | 'bot' | 'tool'; readonly evidence: string };
  'ssh.client': {
    /** The client's identification string (SSH-2.0-...). */
    readonly ident: string;
    /** HASSH: MD5 of the client's kex;ciphers;macs;compression lists. */
    readonly hassh: string;
    readonly hasshAlgorithms: string;
  };
  'ssh.request': {
    /** pty-req, env, shell, exec, subsystem, window-change, direct-tcpip, tcpip-forward, x11-req, ... */
    readonly request: string;
    /** What it asked for: the command, env name=value, subsystem, forward target, terminal size. */
    readonly detail: string;
    readonly accepted: boolean;
  };
  'device.egress': {
    readonly device: string;
    readonly protocol: 'tcp' | 'udp';
    /** Address of the device (or other device-network host) that sent it. */
    readonly src: Endpoint;
    /** Where it was going, from conntrack; null when unknown (no entry on this host, lookup budget spent, a summary). */
    readonly dst: Endpoint | null;
    readonly bytes: number;
    /** First bytes it sent (latin1), cut at the limit. */
    readonly preview: string;
    /** DNS name asked for, when the packet was a DNS query. */
    readonly dnsName: string | null;
    /** Attempts this event stands for: 1, or more for a summary of a flood past the per-device event rate (the other fields are then the first folded attempt's). */
    readonly count: number;
  };
  'device.indicator': {
    readonly device: string;
    readonly indicator: 'egress' | 'new-port';
    readonly detail: string;
    /** reset when the device's reset hook runs because of it. */
    readonly action: 'reset' | 'none';
  };
  'relay.capture': { readonly path: string; readonly format: 'pcapng'; readonly bytes: number; readonly truncated: boolean };
  'artifact.evicted': { readonly sha256: string; readonly size: number; readonly reason: 'size-cap' | 'retention' };
  'device.health': { readonly device: string; readonly up: boolean; readonly latencyMs: number | null; readonly detail: string };
  'device.reset': {
    readonly device: string;
    readonly trigger: 'sessions' | 'schedule' | 'demand' | 'indicator';
    readonly exitCode: number | null;
    readonly durationMs: number;
    readonly detail: string;
  };
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

export const sensorEventTypes = ['sensor.start', 'sensor.stop', 'listener.error', 'analysis.file', 'analysis.indicators', 'analysis.family', 'analysis.mirai', 'artifact.evicted', 'device.health', 'device.reset', 'device.egress', 'device.indicator'] as const;
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
    fields: {
      method: 'password, keyboard-interactive, publickey, http-basic, http-digest or http-form',
      username: 'user name as typed',
      password: "password as typed ('' for public keys)",
      success: 'accepted or not',
      attempt: '1-based attempt number in the session',
      key: 'public key type and SHA256 fingerprint, for publickey attempts',
    },
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
  'analysis.file': {
    description: 'Static analysis of a stored sample: what the file is and, for ELF, its CPU and build (sensor event).',
    fields: {
      sha256: 'the sample',
      size: 'bytes',
      kind: 'elf, upx-elf, shell-script, script, gzip, zip, tar, text, data, ...',
      description: 'one line in the style of file(1)',
      arch: 'short CPU tag for ELF files (arm, aarch64, mips, mipsel, x86, x86-64, powerpc, sparc, sh4, m68k, arc, riscv64, ...) or null',
      machine: 'human machine name or null',
      elf: 'class, byte order, OS/ABI, type, entry point, static or dynamic, interpreter, stripped, ARM architecture and EABI, section and segment counts, and the problems found in truncated or corrupt headers; null for other files',
      upx: 'UPX packing: version, whether the magic was altered, the sha256 of the unpacked file or why unpacking failed; null when not packed',
      tlsh: 'TLSH digest (null for files too small or too uniform)',
      inner: 'sha256 of the file found inside (UPX-unpacked, gunzipped, or the first file of a zip), analysed as its own sample',
      durationMs: 'analysis time',
    },
  },
  'analysis.indicators': {
    description: 'Indicators found in the strings of a sample (sensor event; lists capped).',
    fields: {
      sha256: 'the sample',
      ipv4: 'IPv4 addresses',
      ipv6: 'IPv6 addresses',
      domains: 'domain names',
      urls: 'URLs (http, https, ftp, tftp)',
      hostPorts: 'host:port pairs',
      userAgents: 'HTTP user agents',
      credentials: 'user name and password pairs from credential lists',
      strings: 'strings extracted (ASCII and UTF-16)',
      truncated: 'true when a list reached its cap',
    },
  },
  'analysis.family': {
    description: 'A malware family rule matched a sample (sensor event; one per rule).',
    fields: {
      sha256: 'the sample',
      family: 'family name (mirai, gafgyt, mozi, tsunami, hajime, moobot, xorddos, ...)',
      variant: 'variant name or null',
      rule: 'rule id (file under src/analysis/intel/families/, or a YARA rule)',
      engine: 'builtin matcher, the yara tool, or the Mirai string-table decoder',
      evidence: 'names of the strings that matched, with their first offsets',
    },
  },
  'analysis.mirai': {
    description: "A Mirai-style XOR string table was decoded (sensor event).",
    fields: {
      sha256: 'the sample',
      key: 'the effective XOR byte',
      cnc: 'C2 domain and port',
      scanCallback: 'scan-result report domain and port',
      killer: 'killer strings',
      scanner: 'scanner strings',
      strings: 'entries decoded',
    },
  },
  'relay.open': {
    description: 'A relayed session to a real device began (mode real; persona is the device name).',
    fields: { device: 'device name from the configuration', product: 'product', firmware: 'firmware version', deviceAddress: 'device IP address', devicePort: 'service port on the device' },
  },
  'relay.device-error': {
    description: 'The real device could not be reached, or failed during the session.',
    fields: { device: 'device name', stage: 'connect or transfer', code: 'system error code (ECONNREFUSED, ETIMEDOUT, ECONNRESET, ...)', message: 'explanation' },
  },
  'relay.output': {
    description: "What a real device answered to one command of a relayed Telnet session.",
    fields: { command: 'the command line it answers', text: 'the output: terminal bytes as UTF-8 text, or latin1 (one character per byte) when they are not valid UTF-8', truncated: 'true when cut at the output limit' },
  },
  'relay.unavailable': {
    description: 'A new session found the real device full, down, draining before a reset, or resetting; after waiting it was refused or served by the fallback persona.',
    fields: { device: 'device name', state: 'full, down, draining or resetting', reason: 'why it was not admitted', waitedMs: 'how long the session waited for the device', served: 'refused (connection closed) or persona (the fallback persona took it)' },
  },
  'http.request': {
    description: 'An HTTP request, recorded even when an HTTP parser rejects it.',
    fields: {
      seq: '1-based position on the connection',
      method: 'method as sent',
      path: 'path without the query, not decoded',
      query: 'query string without the ?',
      version: 'HTTP version (HTTP/1.1, HTTP/1.0, ...)',
      headers: 'header name and value pairs in the order sent',
      body: 'body bytes as latin1 text, cut at the limit',
      bodyBytes: 'body length',
      truncated: 'true when the body was cut',
      raw: 'raw bytes (latin1) of a malformed request, else null',
      error: 'why the request did not parse, else null',
    },
  },
  'http.response': {
    description: 'The response to one HTTP request (from a real device through the relay).',
    fields: {
      seq: 'the request it answers',
      status: 'status code',
      reason: 'reason phrase',
      version: 'HTTP version',
      headers: 'header name and value pairs in the order sent',
      body: 'first body bytes as latin1 text',
      bodyBytes: 'body length',
      truncated: 'true when the body was cut',
      durationMs: 'time from the end of the request to the end of the response',
    },
  },
  'exploit.detected': {
    description: 'An HTTP request matched an exploit signature; the injected command (payload) runs in a throwaway shell of the persona, so what it fetches is collected.',
    fields: {
      seq: 'the request on its connection',
      signature: 'signature id (file under src/exploits/signatures/ or the data directory)',
      name: 'vulnerability name',
      cves: 'CVE ids',
      vendor: 'affected vendor',
      product: 'affected product',
      technique: 'MITRE ATT&CK technique',
      classes: 'device classes it affects',
      affected: 'whether the device served is of an affected class',
      payload: 'the injected command, when extracted',
      evidence: 'what matched',
    },
  },
  'exploit.candidate': {
    description: 'An HTTP request that matched no signature but looks like an attack; `hachi exploits` clusters these by shape so a new exploit can become a signature the same day.',
    fields: { seq: 'the request on its connection', shape: 'shape key (method, path template, parameter names, content classes)', reasons: 'why it looks like an attack' },
  },
  'http.scanner': {
    description: 'A request was recognised as a known research scanner, tool or bot family (noise that findings can filter).',
    fields: { seq: 'the request on its connection', scanner: 'scanner or family name', kind: 'research, bot or tool', evidence: 'what matched (user agent, path)' },
  },
  'ssh.client': {
    description: "The SSH client's identification and HASSH fingerprint, so bot families can be told apart.",
    fields: { ident: 'identification string', hassh: 'MD5 of hasshAlgorithms', hasshAlgorithms: 'client kex;ciphers;macs;compression lists' },
  },
  'ssh.request': {
    description: 'A channel or global request of an SSH client (pty, env, shell, exec, subsystem, forwarding; through the relay also sftp-<op> for each SFTP open, remove, rename, mkdir, rmdir, setstat, symlink); forwarding is always refused.',
    fields: { request: 'request name', detail: 'what it asked for', accepted: 'whether it was granted (for sftp-<op>, by the device)' },
  },
  'device.egress': {
    description: 'A real device tried to reach something other than the attackers it answers and hachi; the firewall sent it to the sinkhole (sensor event; a C2 callback is a finding).',
    fields: {
      device: 'device name',
      protocol: 'tcp or udp',
      src: 'sender on the device network',
      dst: 'original destination when known',
      bytes: 'bytes received',
      preview: 'first bytes (latin1), cut at the limit',
      dnsName: 'queried name when it was DNS',
      count: '1, or the number of attempts a rate summary stands for (a scanning device)',
    },
  },
  'device.indicator': {
    description: 'A compromise indicator fired for a real device: traffic to the sinkhole, or a port listening that was not before (sensor event).',
    fields: { device: 'device name', indicator: 'egress or new-port', detail: 'what was seen', action: 'reset when the reset hook runs because of it' },
  },
  'relay.capture': {
    description: 'The packet capture of a relayed session was written (pcapng with synthetic Ethernet/IP/TCP headers, opens in Wireshark).',
    fields: { path: 'capture path relative to the data directory', format: 'capture format', bytes: 'file size', truncated: 'true when the session passed the capture size cap (the relay went on)' },
  },
  'artifact.evicted': {
    description: 'A sample was removed from the artifact store to keep its size cap or retention (sensor event); its metadata stays.',
    fields: { sha256: 'the sample', size: 'bytes freed', reason: 'size-cap or retention' },
  },
  'device.health': {
    description: 'A real device changed state: a health probe found it up or down (sensor event; sent on changes, not every probe).',
    fields: { device: 'device name', up: 'reachable or not', latencyMs: 'probe time when up', detail: 'what the probe saw' },
  },
  'device.reset': {
    description: "A real device's reset hook ran (power-cycle, reflash); its relay paused meanwhile (sensor event).",
    fields: { device: 'device name', trigger: 'sessions (after N sessions), schedule, demand or indicator (a compromise indicator fired)', exitCode: 'exit status of the hook, null when it was killed', durationMs: 'how long it ran', detail: 'the first line of its output or why it failed' },
  },
  'download.fetch': {
    description: 'hachi fetched (or refused to fetch) a URL a bot named; may arrive after session.close. The payload is in the artifact store under sha256.',
    fields: {
      tool: 'the tool that named the URL (wget, curl, tftp, ftpget)',
      url: 'the URL as named',
      finalUrl: 'the URL after redirects',
      outcome: 'ok, server-error, refused, timeout, stalled, too-large, too-many-redirects, blocked (SSRF guard), dns-failed, protocol-error, error, disabled (record-only), queue-full, queue-timeout (waited too long for a slot), bad-url or unsupported',
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
