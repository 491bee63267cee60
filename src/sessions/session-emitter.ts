// Builds complete session-bound events (envelope + SessionFields) and publishes them on the event
// port, so protocols and the shell only name the event and its payload.
import { SCHEMA_VERSION } from '../core/events.ts';
import type { SessionEvent, SessionFields } from '../core/events.ts';
import type { IdGenerator } from '../core/ids.ts';
import type { Clock, EventPort, SessionEmitter } from '../core/ports.ts';

export interface SessionEmitterOptions {
  readonly port: EventPort;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  /** Sensor id stamped on every event. */
  readonly sensor: string;
  /** The session's fields; when `session` is absent a new id is drawn from `ids`. */
  readonly fields: Omit<SessionFields, 'session'> & { readonly session?: string };
}

export function createSessionEmitter(options: SessionEmitterOptions): SessionEmitter {
  const { port, ids, clock, sensor } = options;
  const fields: SessionFields = { ...options.fields, session: options.fields.session ?? ids() };
  return {
    sessionId: fields.session,
    emit(type, data) {
      // The type checker cannot follow a generic key into the union; the shape is built here once.
      const event = { id: ids(), type, ts: clock.now(), schema: SCHEMA_VERSION, sensor, data, ...fields } as SessionEvent;
      port.publish(event);
    },
  };
}
