// The configuration schema: one YAML file, every key optional (embedded defaults), strict keys so
// typos are errors. Each module receives only its typed section.
import { isIP } from 'node:net';
import { z } from 'zod';
import { isValidCidr } from '../fetch/address-guard.ts';
import { bindProblem } from '../api/access.ts';

// 0 asks the system for a free port (tests use it).
const port = z.number().int().min(0).max(65535);
const host = z.string().min(1);

/** Per-connection limits of an emulated HTTP service (protocol http); the session limits give total time and input. */
export const httpServiceSchema = z.strictObject({
  /** Request line and headers; a longer head is recorded as malformed and the connection closed. */
  maxHeaderBytes: z.number().int().min(1024).max(1024 * 1024).default(16 * 1024),
  maxHeaderCount: z.number().int().min(8).max(10_000).default(100),
  /** Body bytes kept in each http.request event; the rest are counted. */
  maxBodyBytes: z.number().int().min(0).max(16 * 1024 * 1024).default(64 * 1024),
  /** Body bytes read at most; past it the request is recorded cut, session.limit, close. */
  maxBodyReadBytes: z.number().int().min(1024).default(1024 * 1024),
  maxRequests: z.number().int().min(1).default(1000),
  /** A request head must be complete this long after its first byte (slowloris). */
  headerTimeoutMs: z.number().int().min(100).default(10_000),
  /** Keep-alive connections without input are closed after this. */
  idleTimeoutMs: z.number().int().min(100).default(60_000),
});

/** Settings of an emulated SSH service (protocol ssh). */
export const sshServiceSchema = z.strictObject({
  /** Private host key files; default: the persona's key types, generated once under <dataDir>/ssh/<service name>/. */
  hostKeys: z.array(z.string().min(1)).min(1).max(8).optional(),
  /** Failed logins before the server hangs up (OpenSSH MaxAuthTries). */
  maxAuthAttempts: z.number().int().min(1).max(100).default(6),
  /** Channels one connection may open. */
  maxChannels: z.number().int().min(1).max(10_000).default(64),
  /** Channel and global requests one connection may make. */
  maxRequests: z.number().int().min(1).max(100_000).default(1000),
  /** Time to log in before the server hangs up (OpenSSH LoginGraceTime). */
  loginGraceMs: z.number().int().min(1000).max(3_600_000).default(120_000),
});

export const serviceSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  protocol: z.enum(['telnet', 'http', 'ssh']),
  /** protocol ssh: host keys and per-connection limits. */
  ssh: sshServiceSchema.optional(),
  /** protocol http: serve HTTPS with a device-like self-signed certificate (made once under <dataDir>/tls/<name>/). */
  tls: z.boolean().optional(),
  /** protocol http: per-connection limits. */
  http: httpServiceSchema.optional(),
  /** protocol http: which of the persona's web servers this serves, by the device's port (80, 52869, ...); default: `port` when the persona serves it, else its first. */
  webPort: z.number().int().min(1).max(65535).optional(),
  host: host.default('0.0.0.0'),
  port,
  persona: z.string().min(1),
  /** Overrides the persona's delay after a failed login (Telnet and SSH; 0 for benchmarks). */
  loginFailureDelayMs: z.number().int().min(0).max(60_000).optional(),
  /** Accept any credentials after this many failures from one source (persona default otherwise). */
  acceptAfterFailures: z.number().int().min(0).max(1000).nullable().optional(),
});

export const sessionLimitsSchema = z.strictObject({
  idleTimeoutMs: z.number().int().min(100).default(180_000),
  maxSessionMs: z.number().int().min(1000).default(3_600_000),
  maxLineBytes: z.number().int().min(64).default(64 * 1024),
  maxInputBytes: z.number().int().min(1024).default(16 * 1024 * 1024),
  maxOutputBytesPerCommand: z.number().int().min(1024).default(4 * 1024 * 1024),
  maxFileBytes: z.number().int().min(1024).default(32 * 1024 * 1024),
  maxSessionWriteBytes: z.number().int().min(1024).default(64 * 1024 * 1024),
  maxSessionFiles: z.number().int().min(1).default(10_000),
  maxLoopIterations: z.number().int().min(1).default(100_000),
  maxRecursion: z.number().int().min(1).max(200).default(32),
});

export const connectionLimitsSchema = z.strictObject({
  perSource: z.number().int().min(1).default(64),
  total: z.number().int().min(1).default(20_000),
  /** SO_REUSEPORT listening sockets per service: how fast new connections are let in under load. */
  acceptors: z.number().int().min(1).max(64).default(4),
});

const cidr = z.string().refine((s) => isValidCidr(s), 'an IP address or CIDR such as 127.0.0.1/32');

const sshFingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'SHA256:<43 base64 characters>, as ssh-keygen -lf prints it');

/** How the SSH relay logs in to the device, what it accepts from attackers, and the keys and identification it shows. */
export const deviceSshSchema = z.strictObject({
  /** The account hachi uses on the device: a password or a private key file. */
  login: z
    .strictObject({ username: z.string().min(1).max(256), password: z.string().max(1024).optional(), privateKeyPath: z.string().min(1).optional() })
    .refine((l) => (l.password === undefined) !== (l.privateKeyPath === undefined), 'exactly one of password and privateKeyPath'),
  /** Credentials attackers may log in with; [login] when unset and the login has a password. */
  accept: z.array(z.strictObject({ username: z.string().min(1).max(256), password: z.string().max(1024) })).max(1000).optional(),
  /** The device's own private host keys (copied from it); one ed25519 and one RSA key are generated under the data directory when unset. */
  hostKeys: z.array(z.string().min(1)).min(1).optional(),
  /** The exact identification shown to attackers ("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"); auto reads the device's once. */
  ident: z.union([z.literal('auto'), z.string().regex(/^SSH-2\.0-[\x21-\x7e][\x20-\x7e]{0,240}$/, 'SSH-2.0-<software> [comments]')]).default('auto'),
  /** OpenSSH's MaxAuthTries: authentication attempts before the connection is closed. */
  maxAuthAttempts: z.number().int().min(1).max(100).default(6),
  /** Session channels one connection may open. */
  maxChannels: z.number().int().min(1).max(1000).default(10),
  /** The device's own host key fingerprint(s) ("SHA256:..." as `ssh-keygen -lf` prints); another key is refused (HOSTKEY_MISMATCH). Unset: any key, its fingerprint logged once. */
  deviceHostKey: z.union([sshFingerprint, z.array(sshFingerprint).min(1).max(16)]).optional(),
});

/** Caps of the HTTP relay's http.request / http.response events; the packet capture keeps every byte. */
export const deviceHttpSchema = z.strictObject({
  /** Request line (or status line) and headers; a longer request head is recorded as malformed. */
  maxHeaderBytes: z.number().int().min(1024).max(1024 * 1024).default(16 * 1024),
  /** Body bytes kept in each event; the rest are counted (bodyBytes) and the event marked truncated. */
  maxBodyBytes: z.number().int().min(0).max(16 * 1024 * 1024).default(64 * 1024),
});

/** One service of a real device exposed through hachi's recording relay. */
export const deviceServiceSchema = z.strictObject({
  /** tcp: bytes and a capture; telnet: also logins, commands, output and the files they fetch or write; ssh: the same, decrypted (needs `ssh`); http: also each request and response. */
  protocol: z.enum(['tcp', 'telnet', 'ssh', 'http']),
  host: host.default('0.0.0.0'),
  /** Public port hachi listens on (0 = any free port, for tests). */
  port,
  /** Port of the service on the device. */
  devicePort: z.number().int().min(1).max(65535),
  /** The SSH relay's settings (protocol ssh). */
  ssh: deviceSshSchema.optional(),
  /** What the HTTP relay keeps of each message (protocol http). */
  http: deviceHttpSchema.prefault({}),
});

/** Periodic TCP connect probes of a device; device.health events on changes. */
export const deviceHealthSchema = z.strictObject({
  enabled: z.boolean().default(true),
  intervalMs: z.number().int().min(1000).max(3_600_000).default(30_000),
  timeoutMs: z.number().int().min(100).max(60_000).default(3000),
  /** Device port probed; the first service's device port when unset. */
  port: z.number().int().min(1).max(65535).optional(),
});

/** The device's reset hook: a program and its arguments, run without a shell. */
export const deviceResetSchema = z.strictObject({
  /** argv, e.g. ["/usr/local/bin/pdu", "cycle", "3"]; the hook gets HACHI_DEVICE and HACHI_DEVICE_ADDRESS. */
  command: z.array(z.string().min(1).max(4096).refine((s) => !s.includes('\0'), 'no NUL bytes')).min(1).max(64),
  /** The hook is killed (its whole process group) past this; the reset then counts as failed. */
  timeoutMs: z.number().int().min(1000).max(3_600_000).default(300_000),
  /** Reset after this many sessions, once they have all ended (none are cut). */
  afterSessions: z.number().int().min(1).nullable().default(null),
  /** Reset this long after the previous reset (or the start), once live sessions have ended. */
  everyMs: z.number().int().min(60_000).nullable().default(null),
  /** Boot time after the hook before the device is probed and admitted again. */
  settleMs: z.number().int().min(0).max(3_600_000).default(30_000),
  /** Demand and indicator resets wait at most this long for live sessions (the hook cuts the rest). */
  drainTimeoutMs: z.number().int().min(0).max(3_600_000).default(30_000),
  /** Reset when a compromise indicator fires (traffic to the sinkhole, a new listening port). */
  onIndicator: z.boolean().default(true),
});

const devicePort = z.number().int().min(1).max(65535);

/** Compromise indicator: periodic TCP connect scans of these device ports; one open that was not is 'new-port'. */
export const deviceWatchPortsSchema = z.strictObject({
  ports: z.array(devicePort).min(1).max(4096),
  /** Ports meant to be open; unset, the first scan that finds the device up is the baseline. */
  expected: z.array(devicePort).max(4096).optional(),
  intervalMs: z.number().int().min(1000).max(86_400_000).default(300_000),
  timeoutMs: z.number().int().min(100).max(60_000).default(2000),
  /** Connection attempts at once: a real device falls over under a burst. */
  concurrency: z.number().int().min(1).max(64).default(4),
});

/** Where the firewall redirects the devices' outbound TCP and UDP (device.egress events). */
export const sinkholeSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** Bind address: '0.0.0.0', '::' for IPv6 devices too, or one of relay.hachiAddresses. */
  host: host.default('0.0.0.0'),
  /** The firewall redirects to these ports on the first relay.hachiAddresses of each family (0 = any, tests only). */
  tcpPort: port.default(9999),
  udpPort: port.default(9999),
  previewBytes: z.number().int().min(16).max(64 * 1024).default(512),
  idleTimeoutMs: z.number().int().min(100).max(600_000).default(5000),
  maxConnectionMs: z.number().int().min(100).max(3_600_000).default(30_000),
  maxConnections: z.number().int().min(1).max(65_536).default(256),
  /** Per device: attempts recorded one by one per minute; the rest become one summary event per minute. */
  eventsPerMinute: z.number().int().min(1).max(100_000).default(60),
  /** conntrack-tools, for the original destination (needs root on the host that redirects); null: none. */
  conntrack: z.string().min(1).nullable().default('/usr/sbin/conntrack'),
});

/** A real appliance or prototype behind the relay: findings go back to the team that builds it. */
export const deviceSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes (max 63)'),
  product: z.string().min(1).max(200),
  model: z.string().min(1).max(200).optional(),
  firmware: z.string().min(1).max(200),
  /** The device's IP address on the device network. */
  address: z.string().refine((s) => isIP(s) !== 0, 'an IPv4 or IPv6 address'),
  /** A persona of the same model that serves sessions while the device is down or full. */
  persona: z.string().min(1).optional(),
  services: z.array(deviceServiceSchema).min(1),
  /** Real devices fall over under load: sessions at once, and new sessions per minute. */
  maxSessions: z.number().int().min(1).max(10_000).default(8),
  maxSessionsPerMinute: z.number().int().min(1).max(100_000).default(120),
  /** Longest wait for the device to accept a connection. */
  connectTimeoutMs: z.number().int().min(100).max(60_000).default(5000),
  /** Bytes of each session's packet capture (pcapng) kept; the relay goes on past it. */
  maxCaptureBytes: z.number().int().min(4096).default(64 * 1024 * 1024),
  /** How long a new session waits while the device is full, down or resetting, before it is refused (or served by the persona). */
  admitWaitMs: z.number().int().min(0).max(60_000).default(2000),
  /** Sessions waiting at once; more are turned away at once (an attacker opening thousands). */
  maxWaiting: z.number().int().min(0).max(10_000).default(64),
  health: deviceHealthSchema.prefault({}),
  /** Power-cycle or reflash hook; without it the device is never reset by hachi. */
  reset: deviceResetSchema.optional(),
  watchPorts: deviceWatchPortsSchema.optional(),
});

/** Fetching what bots point at; the SSRF guard refuses non-internet addresses unless `allow` names them. */
export const fetchSchema = z.strictObject({
  enabled: z.boolean().default(true),
  allow: z.array(cidr).default([]),
  /** The sensor's public addresses (its interfaces are added automatically): never fetched from. */
  ownAddresses: z.array(cidr).default([]),
  maxBytes: z.number().int().min(1024).default(16 * 1024 * 1024),
  timeoutMs: z.number().int().min(100).default(60_000),
  stallMs: z.number().int().min(100).default(15_000),
  maxRedirects: z.number().int().min(0).max(20).default(5),
  maxConcurrent: z.number().int().min(1).default(16),
  maxPerHost: z.number().int().min(1).default(2),
  maxQueued: z.number().int().min(0).default(1000),
  /** Fetches waiting for one host: a slowloris host cannot fill the queue for everyone. */
  maxQueuedPerHost: z.number().int().min(0).default(50),
  /** Longest a fetch waits for a slot before it is given up (queue-timeout). */
  maxQueueWaitMs: z.number().int().min(100).default(5 * 60_000),
  /** How long wget in a session waits for the payload before answering anyway. */
  sessionWaitMs: z.number().int().min(0).default(3000),
  /** One fetch per URL in this window: a botnet's thousand identical wgets cost one request. */
  shareForMs: z.number().int().min(0).default(10 * 60_000),
  maxCachedBytes: z.number().int().min(0).default(64 * 1024 * 1024),
  /** Scripts fetched by scripts ...: a URL typed in the session is depth 0. */
  maxDropperDepth: z.number().int().min(0).max(10).default(3),
  maxUrlsPerScript: z.number().int().min(1).max(1000).default(64),
});

/** Static analysis of samples, in worker threads off the session path. */
export const analysisSchema = z.strictObject({
  enabled: z.boolean().default(true),
  workers: z.number().int().min(1).max(16).default(1),
  maxQueued: z.number().int().min(1).default(1000),
  maxQueuedBytes: z.number().int().min(1024).default(256 * 1024 * 1024),
  /** 'auto' runs the yara tool when it is installed at yaraPath; 'off' uses only the built-in matcher. */
  yara: z.enum(['auto', 'off']).default('auto'),
  yaraPath: z.string().min(1).default('/usr/bin/yara'),
  /** More .yar files to run with yara (trusted: your own rules). */
  extraYaraRules: z.string().min(1).nullable().default(null),
  /** Family rule directory; the bundled rules when unset. */
  rulesDir: z.string().min(1).nullable().default(null),
  /** Unpack UPX with the upx tool when installed. */
  unpack: z.boolean().default(true),
  /** Largest unpacked or gunzipped file analysed (zip bombs end here). */
  maxInnerBytes: z.number().int().min(1024).default(64 * 1024 * 1024),
});

export const configSchema = z.strictObject({
  sensor: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash, underscore (max 64)').optional(),
  dataDir: z.string().min(1).default('data'),
  personaDir: z.string().min(1).optional(),
  services: z.array(serviceSchema).optional(),
  sessions: sessionLimitsSchema.prefault({}),
  connections: connectionLimitsSchema.prefault({}),
  sinks: z
    .strictObject({
      sqlite: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
      jsonl: z
        .strictObject({
          enabled: z.boolean().default(true),
          maxFileBytes: z.number().int().min(1024).default(256 * 1024 * 1024),
          maxTotalBytes: z.number().int().min(1024).default(4 * 1024 * 1024 * 1024),
        })
        .prefault({}),
    })
    .prefault({}),
  devices: z.array(deviceSchema).default([]),
  /** Where relayed devices may send to besides the attackers they answer: hachi's own address(es). */
  relay: z
    .strictObject({
      hachiAddresses: z.array(z.string().refine((s) => isIP(s) !== 0, 'an IP address')).default([]),
      sinkhole: sinkholeSchema.prefault({}),
      /** The same indicator (device, kind, what was seen) fires once per this; each device at most maxIndicators distinct ones. */
      indicatorCooldownMs: z.number().int().min(1000).max(86_400_000).default(600_000),
      maxIndicators: z.number().int().min(1).max(10_000).default(10),
    })
    .prefault({}),
  fetch: fetchSchema.prefault({}),
  analysis: analysisSchema.prefault({}),
  artifacts: z
    .strictObject({
      maxTotalBytes: z.number().int().min(1024).default(2 * 1024 * 1024 * 1024),
      // Past the cap the least recently seen samples are evicted (artifact.evicted); false refuses new ones instead.
      evict: z.boolean().default(true),
      // Samples seen this recently are never evicted, so a burst cannot flush what was just captured.
      evictMinAgeMs: z.number().int().min(0).default(10 * 60_000),
      // Samples not seen for this many days are deleted by the hourly sweep; 0 keeps them forever.
      retentionDays: z.number().min(0).default(0),
      // Nothing is written when the filesystem would keep less than this free.
      minFreeDiskBytes: z.number().int().min(0).default(1024 * 1024 * 1024),
    })
    .prefault({}),
  recordings: z
    .strictObject({
      enabled: z.boolean().default(true),
      maxBytesPerSession: z.number().int().min(1024).default(4 * 1024 * 1024),
      // Sessions that never log in are their auth.attempt events; recording them too costs a file each.
      withoutLogin: z.boolean().default(false),
    })
    .prefault({}),
  /** The dashboard's query API: its own listener, loopback by default; any other address needs the token. */
  dashboard: z
    .strictObject({
      enabled: z.boolean().default(true),
      host: host.default('127.0.0.1'),
      port: port.default(8800),
      /** Sent as `Authorization: Bearer <token>`; mandatory when host is not loopback (127.0.0.0/8, ::1). */
      token: z.string().min(1).max(1024).optional(),
    })
    .prefault({})
    .superRefine((d, ctx) => {
      const problem = d.enabled ? bindProblem(d.host, d.token) : null;
      if (problem !== null) ctx.addIssue({ code: 'custom', path: ['token'], message: problem });
    }),
});

export type Config = z.infer<typeof configSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;
export type HttpServiceConfig = z.infer<typeof httpServiceSchema>;
export type SshServiceConfig = z.infer<typeof sshServiceSchema>;
export type SessionLimits = z.infer<typeof sessionLimitsSchema>;
export type ConnectionLimits = z.infer<typeof connectionLimitsSchema>;
export type FetchConfig = z.infer<typeof fetchSchema>;
export type DeviceConfig = z.infer<typeof deviceSchema>;
export type SinkholeConfig = z.infer<typeof sinkholeSchema>;
export type DeviceServiceConfig = z.infer<typeof deviceServiceSchema>;
export type DeviceHttpConfig = z.infer<typeof deviceHttpSchema>;
export type DeviceSshConfig = z.infer<typeof deviceSshSchema>;
export type AnalysisConfig = z.infer<typeof analysisSchema>;
