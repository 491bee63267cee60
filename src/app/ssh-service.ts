// Wires one emulated SSH service: its host keys (configured files, else generated once per service
// under <dataDir>/ssh/<name>/ in the persona's key types), its limits, and a handler that turns each
// accepted socket into an SSH session on the persona's shell.
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { sshServiceSchema, type ServiceConfig, type SessionLimits } from '../config/schema.ts';
import type { Endpoint } from '../core/events.ts';
import type { PersonaView } from '../core/persona.ts';
import type { CapturePort, Clock, DownloadPort, RecordingStore, SessionEmitter, ShellFactory, ShutdownNotice } from '../core/ports.ts';
import { personaHostKeys } from '../protocols/ssh/host-keys.ts';
import { handleSsh, type SshLimits, type SshTransferContext } from '../protocols/ssh/server-session.ts';
import { serveScp } from '../protocols/ssh/scp-server.ts';
import { serveSftp } from '../protocols/ssh/sftp-server.ts';
import type { TransferFs, TransferOptions } from '../protocols/ssh/transfer-fs.ts';
import type { SFTPWrapper } from 'ssh2';
import { generatedHostKeys, loadHostKeys } from '../relay/ssh-host-keys.ts';
import type { AuthPolicy } from '../sessions/auth-policy.ts';

export interface SshServiceOptions {
  readonly service: ServiceConfig;
  /** With the service's overrides applied (failure delay, acceptAfterFailures). */
  readonly persona: PersonaView;
  readonly auth: AuthPolicy;
  /** One filesystem per connection, shared by its shells and its SCP/SFTP transfers (`ls` sees uploads). */
  readonly sessionFiles: (persona: PersonaView) => { readonly fs: TransferFs; readonly shells: ShellFactory };
  readonly sessions: SessionLimits;
  readonly dataDir: string;
  readonly clock: Clock;
  readonly shutdown: ShutdownNotice;
  readonly recordings: RecordingStore | null;
  /** A session emitter with protocol 'ssh' for one connection. */
  readonly emitter: (src: Endpoint, dst: Endpoint) => SessionEmitter;
  /** The session's capture and download ports; `idle` resolves when their background work is done. */
  readonly tools: (events: SessionEmitter) => { readonly capture: CapturePort & { idle(): Promise<void> }; readonly downloads: DownloadPort & { idle(): Promise<void> } };
  /** Work a session leaves (its downloads) is handed here. */
  readonly background: (work: Promise<void>) => void;
}

export type SshHandler = (socket: Socket, src: Endpoint, dst: Endpoint) => Promise<void>;

/** SFTP files and directories open at once per session (OpenSSH's sftp-server allows 100). */
const MAX_SFTP_HANDLES = 100;

/** Reads or makes the host keys first; throws (naming the file) when they cannot be used. */
export async function createSshHandler(options: SshServiceOptions): Promise<SshHandler> {
  const { service, persona, sessions } = options;
  const settings = service.ssh ?? sshServiceSchema.parse({});
  const keyDir = join(options.dataDir, 'ssh', service.name);
  const hostKeys = settings.hostKeys
    ? await loadHostKeys(settings.hostKeys)
    : persona.ssh
      ? await personaHostKeys(keyDir, persona.ssh.hostKeys)
      : await generatedHostKeys(keyDir);
  const limits: SshLimits = {
    idleTimeoutMs: sessions.idleTimeoutMs,
    maxSessionMs: sessions.maxSessionMs,
    loginGraceMs: settings.loginGraceMs,
    maxInputBytes: sessions.maxInputBytes,
    maxAuthAttempts: settings.maxAuthAttempts,
    maxChannels: settings.maxChannels,
    maxRequests: settings.maxRequests,
    maxLineLength: sessions.maxLineBytes,
  };
  const transferLimits = { maxFileBytes: sessions.maxFileBytes, maxSessionWriteBytes: sessions.maxSessionWriteBytes, maxOpenHandles: MAX_SFTP_HANDLES };
  return async (socket, src, dst) => {
    const events = options.emitter(src, dst);
    const { capture, downloads } = options.tools(events);
    const { fs, shells } = options.sessionFiles(persona);
    const transfer = (ctx: SshTransferContext): TransferOptions => ({ fs, events: ctx.events, capture: ctx.capture, limits: transferLimits, home: persona.shell.home, now: options.clock.now });
    try {
      await handleSsh(socket, {
        persona,
        events,
        shells,
        scp: (command, channel, ctx) => serveScp(command, channel, transfer(ctx)),
        // Only a device whose sshd has an SFTP server offers the subsystem (many dropbear builds do not).
        ...(persona.ssh?.sftp === false ? {} : { sftp: (sftp: SFTPWrapper, ctx: SshTransferContext) => serveSftp(sftp, transfer(ctx)) }),
        auth: ({ username, password }) => options.auth({ source: src.ip, username, password }),
        capture,
        downloads,
        hostKeys,
        recording: options.recordings?.open(events.sessionId) ?? null,
        clock: options.clock,
        limits,
        // The persona's delay after a failed login, or the service's override (0 for benchmarks).
        authFailureDelayMs: persona.telnet.loginFailureDelayMs,
        shutdown: options.shutdown,
      });
      await capture.idle();
    } finally {
      options.background(downloads.idle());
    }
  };
}
