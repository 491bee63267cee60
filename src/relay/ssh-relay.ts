// The SSH recording relay (a man in the middle, as high-interaction SSH honeypots do it): hachi
// ends the attacker's SSH with the device's own host keys and identification, logs in to the real
// device with configured credentials, and mirrors the session channels, so the decrypted commands
// and output are recorded. Forwarding of any kind is refused. Never rejects; ends with session.close.
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { AuthContext, AuthenticationType, Client as SshClient, Connection, Server as SshServer } from 'ssh2';
import type { AuthMethod, CloseReason } from '../core/events.ts';
import type { Clock, SessionEmitter, ShutdownNotice } from '../core/ports.ts';
import { createClientHelloReader, hassh } from '../protocols/ssh/kexinit.ts';
import { connectDevice, hostKeyFingerprint, type DeviceLogin } from './ssh-device.ts';
import { mirrorSession, type SshChannelRecorder, type SshRecorder } from './ssh-channels.ts';
import { openSessionCapture } from './session-capture.ts';
import { tapStream } from '../protocols/ssh/stream-tap.ts';
import type { CaptureSink, PacketCapture, RelayDevice } from './tcp-relay.ts';

export type { SshChannelRecorder, SshRecorder } from './ssh-channels.ts';
export type { DeviceLogin } from './ssh-device.ts';

export interface SshRelayLimits {
  readonly idleTimeoutMs: number;
  readonly maxSessionMs: number;
  /** Bytes the attacker may send (raw, encrypted). */
  readonly maxInputBytes: number;
  readonly maxAuthAttempts: number;
  /** Session channels one connection may open. */
  readonly maxChannels: number;
}

export interface SshRelayContext {
  readonly device: RelayDevice;
  readonly events: SessionEmitter;
  readonly connect: () => Promise<Duplex>;
  /** Private host keys (OpenSSH or PEM), already checked to parse. */
  readonly hostKeys: readonly Buffer[];
  /** The identification hachi sends, without "SSH-2.0-" (the device's own); rejects with a `code` when it cannot be read. */
  readonly ident: () => Promise<string>;
  readonly login: DeviceLogin;
  /** Credentials the attacker side accepts. */
  readonly accept: readonly { readonly username: string; readonly password: string }[];
  readonly capture: { readonly packets: PacketCapture; readonly sink: CaptureSink } | null;
  readonly clock: Clock;
  readonly limits: SshRelayLimits;
  readonly shutdown?: ShutdownNotice;
  readonly recorder?: SshRecorder;
}

const OFFERED: AuthenticationType[] = ['publickey', 'password', 'keyboard-interactive'];

export async function relaySsh(socket: Duplex, ctx: SshRelayContext): Promise<void> {
  const { events, clock, device, limits } = ctx;
  const startedAt = clock.now();
  events.emit('session.connect', {});
  const capture = openSessionCapture(ctx.capture, events, clock, startedAt);
  let recorder = ctx.recorder ?? null;
  const recorded = (call: (r: SshRecorder) => void): void => {
    if (!recorder) return;
    try {
      call(recorder);
    } catch {
      recorder = null;
    }
  };

  let reason: CloseReason | null = null;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const finish = (why: CloseReason): void => {
    if (reason !== null) return;
    reason = why;
    resolveDone();
  };
  const limit = (name: 'input-bytes' | 'login-attempts' | 'channels', max: number, detail: string, why: CloseReason): void => {
    if (reason !== null) return;
    events.emit('session.limit', { limit: name, max, detail });
    finish(why);
  };

  const idle = setTimeout(() => finish('idle-timeout'), limits.idleTimeoutMs);
  const longest = setTimeout(() => finish('max-duration'), limits.maxSessionMs);
  let bytesIn = 0;
  let bytesOut = 0;
  const hello = createClientHelloReader();
  let helloRead = false;
  const stream = tapStream(socket, {
    fromClient(bytes) {
      bytesIn += bytes.length;
      idle.refresh();
      capture.data('client', bytes);
      if (!helloRead) {
        const result = hello.push(bytes);
        if (result.kind !== 'more') helloRead = true;
        if (result.kind === 'done') {
          const fingerprint = hassh(result.hello);
          events.emit('ssh.client', { ident: result.hello.ident, hassh: fingerprint.hassh, hasshAlgorithms: fingerprint.algorithms });
        }
      }
      if (bytesIn > limits.maxInputBytes) limit('input-bytes', limits.maxInputBytes, 'the attacker sent more than the session may; connection closed', 'limit');
    },
    toClient(bytes) {
      bytesOut += bytes.length;
      idle.refresh();
      capture.data('server', bytes);
    },
  });
  stream.on('error', () => undefined);
  stream.on('close', () => finish('client-closed'));

  const forget = ctx.shutdown?.onStop(() => finish('shutdown'));
  if (ctx.shutdown?.stopping) finish('shutdown');

  let remote: SshClient | null = null;
  let deviceFailed = false;
  const deviceError = (error: unknown): void => {
    const failure = error as { code?: string; message?: string };
    deviceFailed = true;
    events.emit('relay.device-error', { device: device.name, stage: 'connect', code: failure.code ?? 'ERROR', message: failure.message ?? String(error) });
  };
  let ident: string | null = null;
  try {
    ident = await ctx.ident();
  } catch (error) {
    deviceError(error);
    finish('device-unreachable');
  }
  const onConnection = (conn: Connection): void => {
    conn.on('error', () => undefined);
    conn.on('close', () => finish('client-closed'));
    let attempts = 0;
    let channels = 0;
    const attempt = (method: AuthMethod, auth: AuthContext, password: string, key: string | null): void => {
      attempts++;
      const matches = key === null && ctx.accept.some((c) => c.username === auth.username && c.password === password);
      const answer = (success: boolean): void => {
        events.emit('auth.attempt', { method, username: auth.username, password, success, attempt: attempts, ...(key === null ? {} : { key }) });
        if (success) return auth.accept();
        auth.reject(OFFERED);
        if (attempts >= limits.maxAuthAttempts) limit('login-attempts', limits.maxAuthAttempts, 'too many authentication attempts; connection closed', 'login-failed');
      };
      if (!matches || reason !== null) return answer(false);
      if (remote !== null) return answer(true);
      // The device session is opened before the attacker is let in: a device that refuses leaves no half-open login.
      connectDevice(ctx.connect, ctx.login).then(
        (client) => {
          if (reason !== null) return void client.end();
          remote = client;
          // The device failing mid-session (a reset, a broken stream) is told once; its close ends the session.
          let failed = false;
          client.on('error', (error: Error & { code?: string }) => {
            if (failed || reason !== null) return;
            failed = true;
            events.emit('relay.device-error', { device: device.name, stage: 'transfer', code: error.code ?? 'ERROR', message: error.message });
          });
          client.on('close', () => finish('device-closed'));
          events.emit('relay.open', { device: device.name, product: device.product, firmware: device.firmware, deviceAddress: device.address, devicePort: device.port });
          answer(true);
        },
        (error: unknown) => {
          deviceError(error);
          answer(false);
          finish('device-unreachable');
        },
      );
    };
    conn.on('authentication', (auth: AuthContext) => {
      if (auth.method === 'password') return attempt('password', auth, auth.password, null);
      if (auth.method === 'keyboard-interactive') {
        return auth.prompt([{ prompt: 'Password: ', echo: false }], (answers) => attempt('keyboard-interactive', auth, answers[0] ?? '', null));
      }
      if (auth.method === 'publickey') return attempt('publickey', auth, '', keyFingerprint(auth.key.algo, auth.key.data));
      auth.reject(OFFERED);
    });
    conn.on('session', (accept, reject) => {
      if (remote === null) return reject();
      if (++channels > limits.maxChannels) {
        reject();
        return limit('channels', limits.maxChannels, 'too many session channels on one connection; connection closed', 'limit');
      }
      mirrorSession(accept(), {
        device: remote,
        events,
        channelRecorder: (kind, detail) => {
          let channel: SshChannelRecorder | null = null;
          recorded((r) => (channel = r.channel(kind, detail)));
          return channel;
        },
      });
    });
    conn.on('tcpip', (_accept, reject, info) => {
      events.emit('ssh.request', { request: 'direct-tcpip', detail: `${info.destIP}:${info.destPort} from ${info.srcIP}:${info.srcPort}`, accepted: false });
      reject();
    });
    conn.on('openssh.streamlocal', (_accept, reject, info) => {
      events.emit('ssh.request', { request: 'direct-streamlocal@openssh.com', detail: info.socketPath, accepted: false });
      reject();
    });
    conn.on('request', (_accept, reject, name: string, info: { bindAddr?: string; bindPort?: number; socketPath?: string }) => {
      events.emit('ssh.request', { request: name, detail: info.socketPath ?? `${info.bindAddr ?? ''}:${info.bindPort ?? ''}`, accepted: false });
      reject?.();
    });
  };
  let server: SshServer | null = null;
  try {
    server = new ssh2.Server({ hostKeys: [...ctx.hostKeys], ident: ident ?? 'OpenSSH' }, onConnection);
    server.on('error', () => undefined);
  } catch {
    finish('error'); // keys that the library refuses: checked at start, so this is not expected
  }
  if (reason === null) server?.injectSocket(stream as Socket);
  if (socket.destroyed) finish('client-closed');

  await done;
  clearTimeout(idle);
  clearTimeout(longest);
  forget?.();
  (remote as SshClient | null)?.end();
  stream.destroy();
  socket.destroy();
  recorded((r) => r.end());
  await capture.close(reason);
  events.emit('session.close', { reason: deviceFailed ? 'device-unreachable' : (reason ?? 'error'), durationMs: Math.max(0, clock.now() - startedAt), bytesIn, bytesOut });
}

/** "ssh-ed25519 SHA256:..." as OpenSSH prints it (base64 without padding). */
export function keyFingerprint(algo: string, blob: Uint8Array): string {
  return `${algo} ${hostKeyFingerprint(blob)}`;
}
