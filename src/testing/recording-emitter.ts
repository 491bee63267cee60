// A SessionEmitter and CapturePort for tests: keeps every event and captured file in memory.
import { createHash } from 'node:crypto';
import type { EventPayloads, SessionEventType } from '../core/events.ts';
import type { CapturePort, CaptureReason, SessionEmitter } from '../core/ports.ts';

export interface RecordedEvent<K extends SessionEventType = SessionEventType> {
  readonly type: K;
  readonly data: EventPayloads[K];
}

export class RecordingEmitter implements SessionEmitter, CapturePort {
  readonly sessionId = 'test-session';
  readonly events: RecordedEvent[] = [];
  readonly captured: { path: string; sha256: string; bytes: Uint8Array; reason: CaptureReason }[] = [];

  emit<K extends SessionEventType>(type: K, data: EventPayloads[K]): void {
    this.events.push({ type, data } as RecordedEvent);
  }

  capture(path: string, bytes: Uint8Array, reason: CaptureReason): string {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    this.captured.push({ path, sha256, bytes: new Uint8Array(bytes), reason });
    this.emit('file.write', { path, sha256, size: bytes.length, reason });
    return sha256;
  }

  ofType<K extends SessionEventType>(type: K): EventPayloads[K][] {
    return this.events.filter((e) => e.type === type).map((e) => e.data as EventPayloads[K]);
  }
}
