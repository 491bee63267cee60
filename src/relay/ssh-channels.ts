// One attacker `session` channel mirrored onto the device: pty, env and window size are kept and
// passed on when the shell, exec or subsystem starts there; data both ways with backpressure; exit
// status, EOF and close come back in the order a client expects. X11 and agent forwarding are
// refused. Every request is told as ssh.request; the recorder sees the channel's data.
import type { Client, ClientChannel, ClientCallback, PseudoTtyInfo, ServerChannel, Session } from 'ssh2';
import type { SessionEmitter } from '../core/ports.ts';

export interface SshChannelRecorder {
  /** Bytes the attacker sent on the channel (keystrokes, an exec's stdin, SCP data). */
  input(bytes: Uint8Array): void;
  /** Bytes the device sent back (stdout and stderr; an sftp subsystem speaks on stdout only). */
  output(bytes: Uint8Array, stream?: 'stdout' | 'stderr'): void;
  close(): void;
}

export interface SshRecorder {
  channel(kind: 'shell' | 'exec' | 'subsystem', detail: string): SshChannelRecorder;
  /** The session is over (before session.close). */
  end(): void;
}

export interface ChannelDeps {
  readonly device: Client;
  readonly events: SessionEmitter;
  /** A channel's recorder, or null once the recorder broke (it then loses its observations only). */
  readonly channelRecorder: (kind: 'shell' | 'exec' | 'subsystem', detail: string) => SshChannelRecorder | null;
}

/** Longest detail kept in an ssh.request event. */
const MAX_DETAIL = 4096;
const MAX_ENV = 64;
/** How long buffered output may take to reach the attacker before the channel is closed anyway. */
const FLUSH_MS = 5000;

export function mirrorSession(session: Session, deps: ChannelDeps): void {
  let pty: PseudoTtyInfo | null = null;
  const env: Record<string, string> = {};
  let remote: ClientChannel | null = null;
  const request = (name: string, detail: string, accepted: boolean): void => deps.events.emit('ssh.request', { request: name, detail: detail.slice(0, MAX_DETAIL), accepted });

  session.on('pty', (accept: (() => void) | undefined, _reject: unknown, info: PseudoTtyInfo) => {
    pty = info;
    request('pty-req', `${info.term} ${info.cols}x${info.rows}`, true);
    accept?.();
  });
  session.on('window-change', (accept: (() => void) | undefined, _reject: unknown, info: { cols: number; rows: number; width: number; height: number }) => {
    request('window-change', `${info.cols}x${info.rows}`, true);
    if (pty) pty = { ...pty, cols: info.cols, rows: info.rows, width: info.width, height: info.height };
    remote?.setWindow(info.rows, info.cols, info.height, info.width);
    accept?.();
  });
  session.on('env', (accept: (() => void) | undefined, _reject: unknown, info: { key: string; val: string }) => {
    request('env', `${info.key}=${info.val}`, true);
    if (Object.keys(env).length < MAX_ENV) env[info.key] = info.val;
    accept?.();
  });
  session.on('signal', (accept: (() => void) | undefined, _reject: unknown, info: { name: string }) => {
    request('signal', info.name, true);
    remote?.signal(info.name);
    accept?.();
  });
  session.on('x11', (_accept: unknown, reject: (() => void) | undefined, info: { protocol?: string; screen?: number }) => {
    request('x11-req', `${info.protocol ?? ''} screen ${info.screen ?? 0}`, false);
    reject?.();
  });
  session.on('auth-agent', (_accept: unknown, reject: (() => void) | undefined) => {
    request('auth-agent-req@openssh.com', '', false);
    reject?.();
  });

  const start = (kind: 'shell' | 'exec' | 'subsystem', detail: string, accept: () => ServerChannel | undefined): void => {
    // Accepted at once, before the device answers: a client that sends EOF right after its exec
    // request (OpenSSH with stdin at its end) would otherwise find the session ending. The
    // attacker's data waits (paused) until the device channel is open.
    const local = accept();
    if (!local) return;
    local.pause();
    local.on('error', () => undefined);
    const opened: ClientCallback = (error, channel) => {
      request(kind, detail, !error);
      if (error) return void local.end();
      remote = channel;
      pipe(local, channel, deps.channelRecorder(kind, detail));
      local.resume();
    };
    const window = pty ? { term: pty.term, cols: pty.cols, rows: pty.rows, width: pty.width, height: pty.height, modes: pty.modes } : false;
    try {
      if (kind === 'shell') deps.device.shell(window, { env }, opened);
      else if (kind === 'exec') deps.device.exec(detail, window ? { env, pty: window } : { env }, opened);
      else deps.device.subsys(detail, opened);
    } catch (error) {
      opened(error instanceof Error ? error : new Error(String(error)), undefined as never);
    }
  };
  session.on('shell', (accept: () => ServerChannel | undefined) => start('shell', '', accept));
  session.on('exec', (accept: () => ServerChannel | undefined, _reject: unknown, info: { command: string }) => start('exec', info.command, accept));
  session.on('subsystem', (accept: () => ServerChannel | undefined, _reject: unknown, info: { name: string }) => start('subsystem', info.name, accept));
}

/** Data both ways; the device's exit status, then EOF and close, reach the attacker after its last output. */
function pipe(local: ServerChannel, remote: ClientChannel, recorder: SshChannelRecorder | null): void {
  const record = (call: (r: SshChannelRecorder) => void): void => {
    if (!recorder) return;
    try {
      call(recorder);
    } catch {
      recorder = null;
    }
  };
  const forward = (from: NodeJS.ReadableStream, to: NodeJS.WritableStream, seen: (bytes: Buffer) => void): void => {
    from.on('data', (chunk: Buffer) => {
      seen(chunk);
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    });
  };
  forward(local, remote, (b) => record((r) => r.input(b)));
  forward(remote, local, (b) => record((r) => r.output(b, 'stdout')));
  forward(remote.stderr, local.stderr, (b) => record((r) => r.output(b, 'stderr')));
  local.on('error', () => undefined);
  remote.on('error', () => undefined);
  // The attacker's EOF (end of an exec's stdin, of an SCP upload) is passed on; the channel stays open for the answer.
  local.on('end', () => remote.end());

  let exit: { code: number } | { signal: string; dump: boolean; desc: string } | null = null;
  remote.on('exit', (code: number | null, signal?: string, dump?: boolean, desc?: string) => {
    exit = code === null ? { signal: signal ?? 'SIGKILL', dump: dump === true, desc: desc ?? '' } : { code };
  });
  let closed = false;
  const closeLocal = (): void => {
    if (closed) return;
    closed = true;
    record((r) => r.close());
    const status = exit;
    try {
      if (status !== null) {
        if ('code' in status) local.exit(status.code);
        else local.exit(status.signal, status.dump, status.desc);
      }
    } catch {
      // an exit signal the library does not know: the attacker still gets EOF and close
    }
    local.end();
  };
  let flushing = false;
  remote.on('close', () => {
    const flush = (): void => {
      if (flushing) return;
      flushing = true;
      if (local.writableLength === 0) return closeLocal();
      const timer = setTimeout(() => {
        closeLocal();
        local.close();
      }, FLUSH_MS);
      local.write(Buffer.alloc(0), () => {
        clearTimeout(timer);
        closeLocal();
      });
    };
    if (remote.readableEnded) flush();
    else {
      // Output still buffered in the device channel: let it through first.
      remote.once('end', flush);
      setTimeout(flush, FLUSH_MS).unref();
    }
  });
  local.on('close', () => {
    if (!closed) {
      closed = true;
      record((r) => r.close());
    }
    remote.close();
  });
}
