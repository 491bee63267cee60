// One Telnet conversation with a device persona over any Duplex: negotiation, BusyBox login,
// then the emulated shell line by line; always ends with exactly one `session.close`.
import type { Duplex } from 'node:stream';
import type { CloseReason } from '../../core/events.ts';
import type { PersonaView } from '../../core/persona.ts';
import type { CapturePort, Clock, DownloadPort, RecordingWriter, SessionEmitter, ShellFactory, ShellSession, ShutdownNotice } from '../../core/ports.ts';
import { createTelnetConnection } from './connection.ts';
import type { ReadResult, TelnetConnection, TelnetLimits } from './connection.ts';
import { createAsciicastRecorder } from './recorder.ts';

export type { TelnetLimits } from './connection.ts';

/** Decides one login attempt; the composition root binds the source address (see sessions/auth-policy). */
export type TelnetAuth = (request: { readonly username: string; readonly password: string }) => boolean | Promise<boolean>;

export interface TelnetContext {
  readonly persona: PersonaView;
  readonly events: SessionEmitter;
  readonly shells: ShellFactory;
  readonly auth: TelnetAuth;
  readonly capture: CapturePort;
  readonly downloads: DownloadPort;
  /** Where the asciicast v2 recording goes (this module writes the header); null: not recorded. */
  readonly recording: RecordingWriter | null;
  readonly clock: Clock;
  readonly limits: TelnetLimits;
  /**
   * BusyBox ash (FEATURE_EDITING_ASK_TERMINAL) sends ESC[6n after each prompt when no input is
   * waiting. Default true, as Debian's busybox 1.35 does.
   */
  readonly cursorPositionQuery?: boolean;
  /** When hachi stops, the session ends with reason 'shutdown' (files captured, events flushed). */
  readonly shutdown?: ShutdownNotice;
  /**
   * Keep the recording of a session that never logged in (default false: its login attempts are
   * events already, and brute-force scanners would otherwise leave one file per connection).
   */
  readonly recordWithoutLogin?: boolean;
}

export const defaultTelnetLimits: TelnetLimits = {
  idleTimeoutMs: 180_000,
  maxSessionMs: 30 * 60_000,
  maxLineLength: 8192,
  maxInputBytes: 4 * 1024 * 1024,
  maxSubnegotiationBytes: 1024,
};

const decoder = new TextDecoder('utf-8');

/** Runs the session to its end; never rejects. */
export function handleTelnet(stream: Duplex, ctx: TelnetContext): Promise<void> {
  const { events, clock } = ctx;
  const startedAt = clock.now();
  const recorder = createAsciicastRecorder(ctx.recording, clock, { startedAt });
  let shell: ShellSession | null = null;
  let negotiationSent = false;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const emitNegotiation = (): void => {
    if (negotiationSent) return;
    negotiationSent = true;
    const n = conn.negotiation;
    events.emit('telnet.negotiation', { terminalType: n.terminalType, width: n.width, height: n.height, options: [...n.options] });
  };

  let finishing = false;
  let forgetShutdown: (() => void) | null = null;
  // Runs once, from whichever path ends the session first (loop, limit, timer, stream).
  const finish = async (reason: CloseReason): Promise<void> => {
    if (finishing) return;
    finishing = true;
    forgetShutdown?.();
    try {
      conn.stop(reason);
      try {
        await shell?.close(); // captures the files the attacker left before the session is closed
      } catch {
        // a shell that fails to close must not keep the session open
      }
      if (!negotiationSent && conn.negotiation.options.length > 0) emitNegotiation();
      const recording = shell !== null || ctx.recordWithoutLogin === true ? await recorder.close() : (await recorder.discard(), null);
      if (recording) events.emit('session.recording', { path: recording.path, format: 'asciicast-v2', bytes: recording.bytes });
      events.emit('session.close', { reason, durationMs: Math.max(0, clock.now() - startedAt), bytesIn: conn.bytesIn, bytesOut: conn.bytesOut });
      conn.end();
    } finally {
      resolveDone();
    }
  };

  const conn: TelnetConnection = createTelnetConnection(stream, {
    limits: ctx.limits,
    clock,
    recorder,
    onLimit: (limit, max, detail) => events.emit('session.limit', { limit, max, detail }),
    onStop: (reason) => void finish(reason),
  });

  events.emit('session.connect', {});
  if (ctx.shutdown?.stopping) conn.stop('shutdown');
  else forgetShutdown = ctx.shutdown?.onStop(() => conn.stop('shutdown')) ?? null;
  converse(conn, ctx, {
    emitNegotiation,
    startRecording: () => recorder.start(),
    setShell: (s) => (shell = s),
  }).then(
    (reason) => finish(reason),
    () => finish('error'),
  );
  return done;
}

interface ConversationHooks {
  emitNegotiation(): void;
  startRecording(): void;
  setShell(shell: ShellSession): void;
}

/** The device's side of the conversation; returns why it ended. */
async function converse(conn: TelnetConnection, ctx: TelnetContext, hooks: ConversationHooks): Promise<CloseReason> {
  const { persona } = ctx;
  const telnet = persona.telnet;
  conn.sendRaw(telnet.negotiation);
  conn.send(telnet.greeting, 'bare');

  const maxAttempts = Math.max(1, telnet.maxLoginAttempts);
  let attempt = 0;
  let username = '';
  for (;;) {
    conn.send(telnet.loginPrompt.replaceAll('{hostname}', persona.hostname), 'bare');
    const name = await conn.readLine('login', '');
    if (name.kind !== 'line') return endReason(name, ctx);
    hooks.startRecording();
    hooks.emitNegotiation();
    username = decoder.decode(name.bytes);
    if (username === '') continue; // login asks again without counting an attempt
    conn.send(telnet.passwordPrompt, 'bare');
    const pass = await conn.readLine('password', '');
    if (pass.kind !== 'line') return endReason(pass, ctx);
    const password = decoder.decode(pass.bytes);
    attempt++;
    const success = await ctx.auth({ username, password });
    ctx.events.emit('auth.attempt', { method: 'password', username, password, success, attempt });
    if (success) break;
    await conn.delay(telnet.loginFailureDelayMs);
    if (conn.stopped) return 'error'; // unused: finish() already has the stop reason
    conn.send(telnet.loginIncorrect, 'bare');
    if (attempt >= maxAttempts) {
      ctx.events.emit('session.limit', { limit: 'login-attempts', max: maxAttempts, detail: 'failed logins reached the device limit; it hangs up' });
      return 'login-failed';
    }
  }

  conn.send(telnet.motd, 'bare');
  const shell = ctx.shells.create({
    persona,
    events: ctx.events,
    capture: ctx.capture,
    downloads: ctx.downloads,
    io: { write: (data) => conn.send(data, 'all') },
    username,
  });
  hooks.setShell(shell);
  const askTerminal = ctx.cursorPositionQuery ?? true;
  for (;;) {
    await conn.drained();
    const prompt = shell.prompt();
    conn.send(prompt, 'all');
    // ash asks for the cursor position only when no typed-ahead input is waiting.
    if (askTerminal && !conn.hasPendingInput()) conn.send('\x1b[6n', 'all');
    const read = await conn.readLine('shell', prompt);
    if (read.kind === 'interrupt') continue;
    if (read.kind === 'eof') return 'exit';
    if (read.kind !== 'line') return endReason(read, ctx);
    const line = decoder.decode(read.bytes);
    if (line.trim() === '') continue;
    ctx.events.emit('command.input', { line });
    if ((await shell.runLine(line)) === 'exit') return 'exit';
    if (conn.stopped) return 'error'; // unused: finish() already has the stop reason
  }
}

/**
 * Why a read that produced no line ends the session. 'closed' means a limit, timer or the stream
 * already stopped it: finish() runs once and keeps that first reason, so the value returned is unused.
 */
function endReason(result: Exclude<ReadResult, { kind: 'line' }>, ctx: TelnetContext): CloseReason {
  switch (result.kind) {
    case 'overflow':
      ctx.events.emit('session.limit', { limit: 'line-length', max: result.length, detail: `line longer than ${result.length} bytes` });
      return 'limit';
    case 'eof':
    case 'end':
    case 'interrupt':
      return 'client-closed';
    case 'closed':
      return 'error';
  }
}
