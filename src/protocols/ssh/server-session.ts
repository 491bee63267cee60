// One emulated SSH connection over any Duplex, served by ssh2's Server as the persona's sshd:
// client fingerprint, logins by the persona's policy, session channels running the shell, every
// forwarding refused. Never rejects; always ends with exactly one `session.close`.
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { AuthContext, AuthenticationType, Connection, Server as SshServer, ServerConfig } from 'ssh2';
import type { AuthMethod, CloseReason, LimitName } from '../../core/events.ts';
import type { PersonaView } from '../../core/persona.ts';
import type { CapturePort, Clock, DownloadPort, RecordingWriter, SessionEmitter, ShellFactory, ShutdownNotice } from '../../core/ports.ts';
import { createAsciicastRecorder } from '../telnet/recorder.ts';
import { createClientHelloReader, hassh } from './kexinit.ts';
import { keyFingerprint } from './key-fingerprint.ts';
import { createPersonaSshServer } from './server-profile.ts';
import { serveSessionChannel, type ScpHook, type SftpHook } from './session-channel.ts';
import { tapStream } from './stream-tap.ts';

export type { ScpHook, SftpHook, SshTransferContext } from './session-channel.ts';

/** Key re-exchanges a client may force on one connection (OpenSSH rekeys about once per GB). */
const MAX_REKEYS = 16;

export interface SshLimits {
  /** Close after this long without a byte from the client ('idle-timeout'). 0 disables. */
  readonly idleTimeoutMs: number;
  /** Close after this long in total ('max-duration'). 0 disables. */
  readonly maxSessionMs: number;
  /** Close when not logged in after this long (OpenSSH LoginGraceTime 120 s). 0 disables. */
  readonly loginGraceMs: number;
  /** Raw (encrypted) bytes the client may send: `session.limit` 'input-bytes' and close. */
  readonly maxInputBytes: number;
  /** Failed logins before the server hangs up (OpenSSH MaxAuthTries 6). */
  readonly maxAuthAttempts: number;
  /** Channels (any type) one connection may open. */
  readonly maxChannels: number;
  /** Channel and global requests one connection may make. */
  readonly maxRequests: number;
  /** A longer shell line or exec command: `session.limit` 'line-length' and close. */
  readonly maxLineLength: number;
}

export const defaultSshLimits: SshLimits = {
  idleTimeoutMs: 180_000,
  maxSessionMs: 30 * 60_000,
  loginGraceMs: 120_000,
  maxInputBytes: 16 * 1024 * 1024,
  maxAuthAttempts: 6,
  maxChannels: 64,
  maxRequests: 1000,
  maxLineLength: 64 * 1024,
};

/** Decides one password login; the composition root binds the source address (see sessions/auth-policy). */
export type SshAuth = (request: { readonly username: string; readonly password: string }) => boolean | Promise<boolean>;

/** ssh2 Server settings other than the keys: identification (without "SSH-2.0-") and algorithm lists. */
export type SshServerOptions = Omit<ServerConfig, 'hostKeys'>;

export interface SshContext {
  readonly persona: PersonaView;
  readonly events: SessionEmitter;
  readonly shells: ShellFactory;
  readonly auth: SshAuth;
  readonly capture: CapturePort;
  readonly downloads: DownloadPort;
  /** Private host keys (checked to parse); with a persona `ssh` profile, one per profile host key. */
  readonly hostKeys: readonly Buffer[];
  /** Without a persona `ssh` profile: identification and algorithms (default ssh2's own). */
  readonly serverOptions?: SshServerOptions;
  /** Where the asciicast v2 recording of the shell and exec channels goes; null: not recorded. */
  readonly recording: RecordingWriter | null;
  readonly clock: Clock;
  readonly limits: SshLimits;
  /** Delay before a failed login is answered (the real server's; 0 for benchmarks). */
  readonly authFailureDelayMs: number;
  /** Shown when an interactive shell with a pty starts (default: the persona's motd). */
  readonly motd?: string;
  readonly scp?: ScpHook;
  readonly sftp?: SftpHook;
  readonly shutdown?: ShutdownNotice;
}

/** Methods named in USERAUTH_FAILURE without a persona profile: OpenSSH's with PAM. */
const DEFAULT_METHODS: AuthenticationType[] = ['publickey', 'password', 'keyboard-interactive'];

/** Runs the connection to its end; never rejects. */
export async function handleSsh(socket: Duplex, ctx: SshContext): Promise<void> {
  const { events, clock, limits } = ctx;
  const startedAt = clock.now();
  events.emit('session.connect', {});
  const recorder = createAsciicastRecorder(ctx.recording, clock, { startedAt });
  let reason: CloseReason | null = null;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const finish = (why: CloseReason): void => {
    if (reason !== null) return;
    reason = why;
    resolveDone();
  };
  const limit = (name: LimitName, max: number, detail: string, why: CloseReason = 'limit'): void => {
    if (reason !== null) return;
    events.emit('session.limit', { limit: name, max, detail });
    finish(why);
  };

  const timers: NodeJS.Timeout[] = [];
  const timer = (ms: number, why: CloseReason): NodeJS.Timeout | null => {
    if (!(ms > 0 && Number.isFinite(ms))) return null;
    const t = setTimeout(() => finish(why), ms);
    timers.push(t);
    return t;
  };
  const idle = timer(limits.idleTimeoutMs, 'idle-timeout');
  timer(limits.maxSessionMs, 'max-duration');
  const grace = timer(limits.loginGraceMs, 'idle-timeout');

  let bytesIn = 0;
  let bytesOut = 0;
  const hello = createClientHelloReader();
  let helloRead = false;
  const stream = tapStream(socket, {
    fromClient(bytes) {
      bytesIn += bytes.length;
      idle?.refresh();
      if (!helloRead) {
        const result = hello.push(bytes);
        if (result.kind !== 'more') helloRead = true;
        if (result.kind === 'done') {
          const fingerprint = hassh(result.hello);
          events.emit('ssh.client', { ident: result.hello.ident.slice(0, 255), hassh: fingerprint.hassh, hasshAlgorithms: fingerprint.algorithms });
        }
      }
      if (bytesIn > limits.maxInputBytes) limit('input-bytes', limits.maxInputBytes, `client sent more than ${limits.maxInputBytes} bytes`);
    },
    toClient(bytes) {
      bytesOut += bytes.length;
    },
  });
  stream.on('error', () => undefined);
  stream.on('close', () => finish('client-closed'));
  const forgetShutdown = ctx.shutdown?.onStop(() => finish('shutdown'));
  if (ctx.shutdown?.stopping) finish('shutdown');

  const offered: AuthenticationType[] = ctx.persona.ssh ? [...ctx.persona.ssh.authMethods] : DEFAULT_METHODS;
  const work = new Set<Promise<void>>();
  let username: string | null = null;
  let protocolError = false;
  const onConnection = (conn: Connection): void => {
    conn.on('error', () => {
      protocolError = true;
    });
    conn.on('close', () => finish(protocolError ? 'error' : 'client-closed'));
    let attempts = 0;
    let channels = 0;
    let requests = 0;
    let rekeys = 0;
    // Each key re-exchange costs the server a key agreement and a signature: a KEXINIT flood is cut.
    conn.on('rekey', () => {
      if (++rekeys > MAX_REKEYS) limit('rekeys', MAX_REKEYS, `client forced more than ${MAX_REKEYS} key re-exchanges (KEXINIT flood)`);
    });
    const countRequest = (): boolean => {
      if (++requests <= limits.maxRequests) return true;
      limit('requests', limits.maxRequests, 'too many channel and global requests on one connection');
      return false;
    };
    const countChannel = (): boolean => {
      if (++channels <= limits.maxChannels) return true;
      limit('channels', limits.maxChannels, 'too many channels on one connection');
      return false;
    };

    const attempt = (method: AuthMethod, auth: AuthContext, password: string, key: string | null, allowed = true): void => {
      if (reason !== null) return;
      attempts++;
      const n = attempts;
      const decided = key !== null || !allowed ? Promise.resolve(false) : Promise.resolve().then(() => ctx.auth({ username: auth.username, password }));
      decided.then(
        (ok) => answer(ok === true),
        () => answer(false),
      );
      const answer = (success: boolean): void => {
        if (reason !== null) return;
        events.emit('auth.attempt', { method, username: auth.username, password, success, attempt: n, ...(key === null ? {} : { key }) });
        if (success) {
          username = auth.username;
          if (grace) clearTimeout(grace);
          return void auth.accept();
        }
        const reject = (): void => {
          if (reason !== null) return;
          if (n >= limits.maxAuthAttempts) return limit('login-attempts', limits.maxAuthAttempts, 'too many authentication failures; the server hangs up', 'login-failed');
          auth.reject(offered);
        };
        // Public key refusals are answered at once, as sshd does; bad passwords after the delay.
        if (key !== null || ctx.authFailureDelayMs <= 0) return reject();
        const t = setTimeout(reject, ctx.authFailureDelayMs);
        timers.push(t);
      };
    };
    conn.on('authentication', (auth: AuthContext) => {
      if (reason !== null) return;
      // A password sent to a server that does not offer the method is still worth recording: refused.
      if (auth.method === 'password') return attempt('password', auth, auth.password, null, offered.includes('password'));
      if (auth.method === 'keyboard-interactive' && offered.includes('keyboard-interactive')) {
        return auth.prompt([{ prompt: 'Password: ', echo: false }], (answers) => attempt('keyboard-interactive', auth, answers[0] ?? '', null));
      }
      if (auth.method === 'publickey') return attempt('publickey', auth, '', keyFingerprint(auth.key.algo, auth.key.data));
      auth.reject(offered); // 'none', hostbased, methods not offered: not counted
    });
    conn.on('session', (accept, reject) => {
      if (username === null || !countChannel()) return void reject();
      serveSessionChannel(accept(), {
        persona: ctx.persona,
        username,
        events,
        shells: ctx.shells,
        capture: ctx.capture,
        downloads: ctx.downloads,
        recorder,
        motd: ctx.motd ?? ctx.persona.telnet.motd,
        maxLineLength: limits.maxLineLength,
        ...(ctx.scp ? { scp: ctx.scp } : {}),
        ...(ctx.sftp ? { sftp: ctx.sftp } : {}),
        countRequest,
        onLimit: (name, max, detail) => limit(name, max, detail),
        stopped: () => reason !== null,
        track: (job) => {
          const tracked = job.catch(() => undefined).finally(() => work.delete(tracked));
          work.add(tracked);
        },
        bytesOut: () => undefined, // the tap counts the encrypted bytes that leave
      });
    });
    const refuse = (name: string, detail: string, reject: (() => void) | undefined): void => {
      if (countChannel() && countRequest()) events.emit('ssh.request', { request: name, detail: detail.slice(0, 4096), accepted: false });
      reject?.();
    };
    conn.on('tcpip', (_accept, reject, info) => refuse('direct-tcpip', `${info.destIP}:${info.destPort} from ${info.srcIP}:${info.srcPort}`, reject));
    conn.on('openssh.streamlocal', (_accept, reject, info) => refuse('direct-streamlocal@openssh.com', info.socketPath, reject));
    conn.on('request', (_accept, reject, name: string, info: { bindAddr?: string; bindPort?: number; socketPath?: string }) => {
      if (countRequest()) events.emit('ssh.request', { request: name, detail: (info.socketPath ?? `${info.bindAddr ?? ''}:${info.bindPort ?? ''}`).slice(0, 4096), accepted: false });
      reject?.();
    });
  };

  let server: SshServer | null = null;
  try {
    server = ctx.persona.ssh ? createPersonaSshServer(ctx.persona.ssh, ctx.hostKeys, onConnection) : new ssh2.Server({ ...ctx.serverOptions, hostKeys: [...ctx.hostKeys] }, onConnection);
    server.on('error', () => undefined);
  } catch {
    finish('error'); // keys or options the library refuses: checked at start, so not expected
  }
  if (reason === null) server?.injectSocket(stream as Socket);
  if (socket.destroyed) finish('client-closed');

  await done;
  for (const t of timers) clearTimeout(t);
  forgetShutdown?.();
  stream.destroy();
  socket.destroy();
  // The channels closed with the stream; their shells capture what was left (bounded wait).
  await Promise.race([Promise.allSettled([...work]), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  const recording = username !== null ? await recorder.close() : (await recorder.discard(), null);
  if (recording) events.emit('session.recording', { path: recording.path, format: 'asciicast-v2', bytes: recording.bytes });
  events.emit('session.close', { reason: reason ?? 'error', durationMs: Math.max(0, clock.now() - startedAt), bytesIn, bytesOut });
}
