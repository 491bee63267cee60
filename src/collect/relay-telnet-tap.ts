// Turns a relayed Telnet session into the same events an emulated one gives: login attempts judged
// from the real device's replies, each command line, the device's output, and (through the shadow
// shell) the files the commands fetch or write.
import type { SessionEmitter } from '../core/ports.ts';
import type { RelayTap } from '../relay/tcp-relay.ts';
import { createTelnetObserver, type TelnetObservation } from '../relay/telnet-observer.ts';
import type { RelayShadow } from './relay-shadow.ts';

export function createRelayTelnetTap(events: SessionEmitter, shadow: RelayShadow, limits: { readonly maxLineBytes: number; readonly maxOutputBytes: number }): RelayTap & { readonly done: () => Promise<void> } {
  const observer = createTelnetObserver(limits);
  const handle = (observations: readonly TelnetObservation[]): void => {
    for (const o of observations) {
      if (o.kind === 'auth') {
        // Unjudged (the session ended first) counts as not accepted.
        events.emit('auth.attempt', { method: 'password', username: o.username, password: o.password, success: o.success === true, attempt: o.attempt });
      } else if (o.kind === 'command') {
        events.emit('command.input', { line: o.line });
        shadow.command(o.line);
      } else {
        events.emit('relay.output', { command: o.command, text: o.text, truncated: o.truncated });
      }
    }
  };
  let closing: Promise<void> | null = null;
  return {
    client: (bytes) => handle(observer.fromClient(bytes)),
    server: (bytes) => handle(observer.fromDevice(bytes)),
    end() {
      handle(observer.end());
      closing = shadow.close();
    },
    done: () => closing ?? Promise.resolve(),
  };
}
