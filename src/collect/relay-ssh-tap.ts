// Turns the decrypted channels of a relayed SSH session into the same events an emulated session
// gives: each command line (typed in a shell, or an exec request) with the device's output, the
// files the commands fetch (through the shadow shell), and files uploaded with scp or sftp, stored.
import type { CapturePort, SessionEmitter } from '../core/ports.ts';
import { createScpSink, scpSinkTarget } from '../relay/scp-sink.ts';
import { createSftpObserver, type SftpObservation } from '../relay/sftp-observer.ts';
import type { SshChannelRecorder, SshRecorder } from '../relay/ssh-channels.ts';
import { createShellObserver, type ShellObservation } from '../relay/ssh-shell-observer.ts';
import { createOutputCapture } from '../relay/telnet-observer-output.ts';
import type { RelayShadow } from './relay-shadow.ts';

export interface RelaySshTapLimits {
  readonly maxLineBytes: number;
  readonly maxOutputBytes: number;
  readonly maxFileBytes: number;
  /** Bytes of uploaded files kept per session. */
  readonly maxSessionWriteBytes: number;
}

const utf8 = new TextDecoder('utf-8');
/** Files one sftp channel may have open for writing at once (OpenSSH's scp and sftp use one). */
const SFTP_HANDLES = 16;
/** Longest detail kept in an ssh.request event (as for the other requests). */
const MAX_DETAIL = 4096;

export function createRelaySshTap(events: SessionEmitter, shadow: RelayShadow, capture: CapturePort, limits: RelaySshTapLimits): SshRecorder & { readonly done: () => Promise<void> } {
  let uploaded = 0;
  let closing: Promise<void> | null = null;

  const shell = (): SshChannelRecorder => {
    const observer = createShellObserver(limits);
    const handle = (observations: readonly ShellObservation[]): void => {
      for (const o of observations) {
        if (o.kind === 'command') {
          events.emit('command.input', { line: o.line });
          shadow.command(o.line);
        } else {
          events.emit('relay.output', { command: o.command, text: o.text, truncated: o.truncated });
        }
      }
    };
    return { input: (b) => handle(observer.fromClient(b)), output: (b) => handle(observer.fromDevice(b)), close: () => handle(observer.end()) };
  };

  const exec = (command: string): SshChannelRecorder => {
    events.emit('command.input', { line: command });
    const output = createOutputCapture(limits.maxOutputBytes);
    const target = scpSinkTarget(command);
    const sink = target ? createScpSink({ ...target, maxFileBytes: limits.maxFileBytes, maxTotalBytes: Math.max(0, limits.maxSessionWriteBytes - uploaded) }) : null;
    if (!sink) shadow.command(command);
    let closed = false;
    return {
      input(bytes) {
        for (const upload of sink?.push(bytes) ?? []) {
          if (upload.kind === 'too-large') {
            events.emit('session.limit', { limit: 'file-size', max: upload.max, detail: `scp upload ${upload.path} of ${upload.size} bytes was not kept` });
            continue;
          }
          uploaded += upload.bytes.length;
          capture.capture(upload.path, upload.bytes, 'upload');
        }
      },
      output: (bytes) => output.push(bytes),
      close() {
        if (closed) return;
        closed = true;
        events.emit('relay.output', { command, text: utf8.decode(output.head()), truncated: output.truncated });
      },
    };
  };

  // `scp` of OpenSSH 9 (without -O) and `sftp put` upload this way.
  const sftp = (): SshChannelRecorder => {
    const observer = createSftpObserver({ maxFileBytes: limits.maxFileBytes, maxTotalBytes: Math.max(0, limits.maxSessionWriteBytes - uploaded), maxHandles: SFTP_HANDLES });
    const handle = (observations: readonly SftpObservation[]): void => {
      for (const o of observations) {
        if (o.kind === 'file') {
          uploaded += o.bytes.length;
          capture.capture(o.path, o.bytes, o.closed ? 'upload' : 'session-end');
        } else if (o.kind === 'too-large') {
          events.emit('session.limit', { limit: 'file-size', max: o.max, detail: `sftp upload ${o.path} of ${o.size}+ bytes was not kept` });
        } else if (o.kind === 'limit') {
          events.emit('session.limit', { limit: 'session-files', max: o.max, detail: o.detail });
        } else {
          events.emit('ssh.request', { request: `sftp-${o.op}`, detail: o.detail.slice(0, MAX_DETAIL), accepted: o.accepted });
        }
      }
    };
    let closed = false;
    return {
      input: (bytes) => handle(observer.fromClient(bytes)),
      output: (bytes, stream) => (stream === 'stderr' ? undefined : handle(observer.fromDevice(bytes))),
      close() {
        if (closed) return;
        closed = true;
        handle(observer.end());
      },
    };
  };

  return {
    channel: (kind, detail) =>
      kind === 'shell' ? shell() : kind === 'exec' ? exec(detail) : detail === 'sftp' ? sftp() : { input: () => undefined, output: () => undefined, close: () => undefined },
    end() {
      closing = shadow.close();
    },
    done: () => closing ?? Promise.resolve(),
  };
}
