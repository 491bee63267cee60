// One `session` channel of an authenticated client: pty, env and window changes are recorded and
// kept; `shell` and `exec` run the persona's shell; `scp` and the `sftp` subsystem go to their hooks
// when given; X11 and agent forwarding are refused. Every request is told as ssh.request.
import type { PseudoTtyInfo, ServerChannel, Session, SFTPWrapper } from 'ssh2';
import type { LimitName } from '../../core/events.ts';
import type { PersonaView } from '../../core/persona.ts';
import type { CapturePort, DownloadPort, SessionEmitter, ShellFactory, ShellSession } from '../../core/ports.ts';
import type { TerminalRecorder } from '../telnet/recorder.ts';
import { readChannel } from './channel-input.ts';
import { channelOutput } from './channel-output.ts';
import { runExec, runShell } from './channel-shell.ts';

/** What an SCP or SFTP hook gets besides its channel: who logged in and the session's ports. */
export interface SshTransferContext {
  readonly persona: PersonaView;
  readonly username: string;
  readonly events: SessionEmitter;
  readonly capture: CapturePort;
}

/**
 * Offered every exec command first (an accepted channel it owns until it resolves): for `scp -t` /
 * `scp -f` it serves the transfer and resolves with the exit status to send; null: not an scp
 * command, the shell runs it. Should not reject (a rejection sends status 1).
 */
export type ScpHook = (command: string, channel: ServerChannel, ctx: SshTransferContext) => Promise<number> | null;
/** Serves the sftp subsystem on ssh2's SFTP stream; resolves when the client is done. */
export type SftpHook = (sftp: SFTPWrapper, ctx: SshTransferContext) => Promise<void>;

export interface SessionChannelDeps {
  readonly persona: PersonaView;
  readonly username: string;
  readonly events: SessionEmitter;
  readonly shells: ShellFactory;
  readonly capture: CapturePort;
  readonly downloads: DownloadPort;
  readonly recorder: TerminalRecorder;
  readonly motd: string;
  readonly maxLineLength: number;
  readonly scp?: ScpHook;
  readonly sftp?: SftpHook;
  /** Counts a request; false once the connection has made too many (it is then closing). */
  readonly countRequest: () => boolean;
  readonly onLimit: (limit: LimitName, max: number, detail: string) => void;
  readonly stopped: () => boolean;
  /** The work of the channel (its shell closing included), for the session to wait on at its end. */
  readonly track: (work: Promise<void>) => void;
  readonly bytesOut: (n: number) => void;
}

const MAX_DETAIL = 4096;
/** Printable text only in events: request fields are attacker bytes. */
const clean = (text: string): string => text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '').slice(0, MAX_DETAIL);

type Accept = (() => void) | undefined;
type Reject = (() => void) | undefined;

export function serveSessionChannel(session: Session, deps: SessionChannelDeps): void {
  let pty: PseudoTtyInfo | null = null;
  let started = false;
  const request = (name: string, detail: string, accepted: boolean): boolean => {
    if (!deps.countRequest()) return false;
    deps.events.emit('ssh.request', { request: name, detail: clean(detail), accepted });
    return true;
  };
  const answer = (ok: boolean, accept: Accept, reject: Reject): void => {
    try {
      if (ok) accept?.();
      else reject?.();
    } catch {
      // the channel closed meanwhile
    }
  };

  session.on('pty', (accept: Accept, reject: Reject, info: PseudoTtyInfo) => {
    if (!request('pty-req', `${info.term} ${info.cols}x${info.rows}`, true)) return answer(false, accept, reject);
    pty = info;
    deps.recorder.setTerminalType(clean(info.term).slice(0, 64));
    deps.recorder.resize(info.cols, info.rows);
    answer(true, accept, reject);
  });
  session.on('window-change', (accept: Accept, reject: Reject, info: { cols: number; rows: number }) => {
    if (!request('window-change', `${info.cols}x${info.rows}`, true)) return answer(false, accept, reject);
    deps.recorder.resize(info.cols, info.rows);
    answer(true, accept, reject);
  });
  session.on('env', (accept: Accept, reject: Reject, info: { key: string; val: string }) => {
    // OpenSSH accepts only AcceptEnv names (LANG, LC_*) on Debian; dropbear accepts none: both say no.
    request('env', `${info.key}=${info.val}`, false);
    answer(false, accept, reject);
  });
  session.on('signal', (accept: Accept, reject: Reject, info: { name: string }) => {
    request('signal', info.name, false);
    answer(false, accept, reject);
  });
  session.on('x11', (accept: Accept, reject: Reject, info: { protocol?: string; screen?: number }) => {
    request('x11-req', `${info.protocol ?? ''} screen ${info.screen ?? 0}`, false);
    answer(false, accept, reject);
  });
  session.on('auth-agent', (accept: Accept, reject: Reject) => {
    request('auth-agent-req@openssh.com', '', false);
    answer(false, accept, reject);
  });

  const start = (kind: 'shell' | 'exec', command: string, channel: ServerChannel): void => {
    const withPty = pty !== null;
    const recorder = deps.recorder;
    recorder.start();
    const output = channelOutput(channel, withPty, recorder, deps.bytesOut);
    const shell: ShellSession = deps.shells.create({ persona: deps.persona, events: deps.events, capture: deps.capture, downloads: deps.downloads, io: output, username: deps.username });
    const common = { shell, output, events: deps.events, pty: withPty, maxLineLength: deps.maxLineLength, onLimit: deps.onLimit, stopped: deps.stopped };
    const work = (async () => {
      let status = 0;
      const input = readChannel(channel, (bytes) => recorder.input(bytes));
      try {
        if (kind === 'shell') {
          if (withPty) output.write(deps.motd);
          status = await runShell({ ...common, input });
        } else {
          status = await runExec(common, command);
        }
      } catch {
        status = 1; // a shell bug ends this channel only
      } finally {
        input.stop();
        try {
          await shell.close(); // captures what the attacker left before the channel goes away
        } catch {
          // a shell that fails to close must not keep the channel open
        }
      }
      await output.finish(status);
    })();
    deps.track(work);
  };
  const transferContext = (): SshTransferContext => ({ persona: deps.persona, username: deps.username, events: deps.events, capture: deps.capture });

  session.on('shell', (accept: () => ServerChannel | undefined, reject: Reject) => {
    const ok = !started;
    if (!request('shell', '', ok) || !ok) return answer(false, undefined, reject);
    started = true;
    const channel = accept();
    if (!channel) return;
    channel.on('error', () => undefined);
    start('shell', '', channel);
  });
  session.on('exec', (accept: () => ServerChannel | undefined, reject: Reject, info: { command: string }) => {
    const ok = !started;
    if (!request('exec', info.command, ok) || !ok) return answer(false, undefined, reject);
    started = true;
    const channel = accept();
    if (!channel) return;
    channel.on('error', () => undefined);
    const transfer = deps.scp?.(info.command, channel, transferContext()) ?? null;
    if (transfer === null) return start('exec', info.command, channel);
    const finish = (status: number): Promise<void> => channelOutput(channel, false, null, deps.bytesOut).finish(status);
    deps.track(transfer.then(finish, () => finish(1)));
  });
  session.on('sftp', (accept: () => SFTPWrapper | undefined, reject: Reject) => {
    const hook = deps.sftp;
    const ok = !started && hook !== undefined;
    if (!request('subsystem', 'sftp', ok) || !ok || !hook) return answer(false, undefined, reject);
    started = true;
    const sftp = accept();
    if (!sftp) return;
    sftp.on('error', () => undefined);
    // The hook closes the channel at the client's EOF; after a failure it is ended here.
    const close = (): void => {
      try {
        sftp.end();
      } catch {
        // already closed
      }
    };
    deps.track(hook(sftp, transferContext()).then(close, close));
  });
  session.on('subsystem', (_accept: unknown, reject: Reject, info: { name: string }) => {
    // Only sftp exists on the device (ssh2 gives it its own 'sftp' event above).
    request('subsystem', info.name, false);
    answer(false, undefined, reject);
  });
}
