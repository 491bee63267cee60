// A shadow shell for a relayed session: the command lines an attacker types on a real device are
// replayed, in order, in a throwaway emulated shell of the same model, so the files they fetch or
// write with echo/printf are fetched, reconstructed and stored by hachi (the device may be blocked
// from fetching, and its own disk is not ours to read). Its output goes nowhere.
import type { SessionEventType } from '../core/events.ts';
import type { PersonaView } from '../core/persona.ts';
import type { CapturePort, DownloadPort, SessionEmitter, ShellFactory } from '../core/ports.ts';

export interface RelayShadow {
  /** Queues one command line; lines past the queue cap are not replayed. */
  command(line: string): void;
  /** Waits for the queued lines, then captures the files left behind. */
  close(): Promise<void>;
}

/** What the shadow may report: the files and downloads, never its own idea of the device's answers. */
const passed: ReadonlySet<SessionEventType> = new Set(['download.attempt', 'exec.attempt']);
/** An exploit's injected command has no device answer to go by: the shadow's command.unknown is the best account. */
const passedWithUnknown: ReadonlySet<SessionEventType> = new Set([...passed, 'command.unknown']);
const MAX_QUEUED_LINES = 1000;

export function createRelayShadow(options: {
  readonly shells: ShellFactory;
  readonly persona: PersonaView;
  readonly events: SessionEmitter;
  readonly capture: CapturePort;
  readonly downloads: DownloadPort;
  /** Also report command.unknown (commands no real device answered, such as an exploit's payload). */
  readonly reportUnknown?: boolean;
}): RelayShadow {
  const reported = options.reportUnknown ? passedWithUnknown : passed;
  const events: SessionEmitter = {
    sessionId: options.events.sessionId,
    emit: (type, data) => {
      if (reported.has(type)) options.events.emit(type, data);
    },
  };
  const shell = options.shells.create({ persona: options.persona, events, capture: options.capture, downloads: options.downloads, io: { write: () => undefined }, username: 'root' });
  let chain: Promise<unknown> = Promise.resolve();
  let queued = 0;
  let closed = false;
  return {
    command(line) {
      if (closed || queued >= MAX_QUEUED_LINES) return;
      queued += 1;
      chain = chain.then(() => shell.runLine(line)).catch(() => undefined).finally(() => (queued -= 1));
    },
    async close() {
      closed = true;
      await chain;
      await shell.close().catch(() => undefined);
    },
  };
}
