// The small interfaces (ports) that layers implement for each other. Inner layers see only these;
// the composition root (src/app) passes concrete implementations in.
import type { DownloadOutcome, DownloadTool, EventPayloads, HachiEvent, SessionEventType } from './events.ts';
import type { PersonaView } from './persona.ts';

export interface Clock {
  now(): number;
}

/** Where every event goes: the pipeline implements it. Never blocks, never throws. */
export interface EventPort {
  publish(event: HachiEvent): void;
}

/** An event emitter bound to one session: fills id, time, sensor and the session fields. */
export interface SessionEmitter {
  readonly sessionId: string;
  emit<K extends SessionEventType>(type: K, data: EventPayloads[K]): void;
}

/** An output or store of events. `write` resolves once the batch is durable (acknowledged). */
export interface EventSink {
  readonly name: string;
  write(batch: readonly HachiEvent[]): Promise<void>;
  close(): Promise<void>;
}

/** Content-addressed storage of captured bytes. Metadata lives in the event store (file.write). */
export interface ArtifactStore {
  /** Stores bytes under their SHA-256 once; returns whether they were new. */
  put(sha256: string, bytes: Uint8Array): Promise<{ readonly isNew: boolean }>;
  get(sha256: string): Promise<Uint8Array | null>;
  has(sha256: string): Promise<boolean>;
}

/** Writes a terminal recording of one session (asciicast v2 lines). */
export interface RecordingWriter {
  append(line: string): void;
  close(): Promise<{ readonly path: string; readonly bytes: number }>;
  /** Ends the recording without keeping it: nothing more is written and a file already begun is removed. */
  discard(): Promise<void>;
}

export interface RecordingStore {
  open(sessionId: string): RecordingWriter;
}

/** Output side of a shell: bytes for the attacker's terminal. */
export interface ShellIo {
  write(data: string | Uint8Array): void;
}

export type ShellOutcome = 'continue' | 'exit';

/** One attacker's shell on one emulated device. */
export interface ShellSession {
  /** Runs one input line to completion. */
  runLine(line: string): Promise<ShellOutcome>;
  /** The prompt to show now (depends on cwd and user). */
  prompt(): string;
  /** `$?`: the status of the last command (an SSH exec request's exit-status). */
  exitStatus(): number;
  /** Captures what the session left behind (files written) and releases state. */
  close(): Promise<void>;
}

export type CaptureReason = EventPayloads['file.write']['reason'];

/** What a download tool in a session gets back from hachi's fetcher. */
export interface DownloadReply {
  /** 'pending' when the fetch was still running when the session stopped waiting for it. */
  readonly outcome: DownloadOutcome | 'pending';
  readonly body: Uint8Array | null;
  /** HTTP status line of an error answer (`HTTP/1.1 404 Not Found`), for the tool's message. */
  readonly statusLine: string | null;
  /** The address the fetcher contacted (tools print it: `Connecting to host (1.2.3.4:80)`). */
  readonly address: string | null;
}

/** Fetches URLs named in a session, never for longer than the session is willing to wait. */
export interface DownloadPort {
  fetch(request: { readonly tool: DownloadTool; readonly url: string }): Promise<DownloadReply>;
}

/** Keeps bytes an attacker left on the device: hashes, stores once, emits `file.write`. */
export interface CapturePort {
  /**
   * Returns the SHA-256 hex of `bytes` (storing happens in the background), or null when the bytes
   * are a copy of one of the persona's own files and so are not captured.
   */
  capture(path: string, bytes: Uint8Array, reason: CaptureReason): string | null;
}

export interface ShellOptions {
  readonly persona: PersonaView;
  readonly events: SessionEmitter;
  readonly capture: CapturePort;
  readonly downloads: DownloadPort;
  readonly io: ShellIo;
  readonly username: string;
}

export interface ShellFactory {
  create(options: ShellOptions): ShellSession;
}

export type LogFields = Readonly<Record<string, string | number | boolean | null>>;

/** Structured operator log (not events): warnings about sinks, stores and limits. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
}

/** Tells long-running sessions that hachi is stopping. */
export interface ShutdownNotice {
  readonly stopping: boolean;
  /** Calls `listener` once when hachi stops; returns a function that forgets it (call it when done). */
  onStop(listener: () => void): () => void;
}
