// `hachi events`: events in emission order, filtered by session and type.
import { eventTypes, isSessionEvent, type HachiEvent } from '../../core/events.ts';
import { HachiError } from '../../core/errors.ts';
import { openStore } from '../../storage/store.ts';
import { formatTable } from '../table.ts';
import { dataDirFrom } from './data-dir.ts';

export interface EventsOptions {
  readonly data?: string;
  readonly session?: string;
  readonly type?: string;
  readonly limit: string;
  readonly json?: boolean;
}

export function eventsCommand(options: EventsOptions): void {
  if (options.type && !(eventTypes as string[]).includes(options.type)) {
    throw new HachiError('HACHI_ERR_USAGE', `unknown event type "${options.type}"; known: ${eventTypes.join(', ')}`);
  }
  const store = openStore(dataDirFrom(options.data));
  try {
    const events = store.listEvents({ session: options.session, type: options.type, limit: Number(options.limit) });
    if (options.json) {
      for (const e of events) process.stdout.write(`${JSON.stringify(e)}\n`);
      return;
    }
    const rows = events.map((e) => [new Date(e.ts).toISOString().replace('T', ' ').slice(0, 23), e.type, isSessionEvent(e) ? e.session : '-', summary(e)]);
    process.stdout.write(`${formatTable(['time (UTC)', 'type', 'session', 'data'], rows, 100)}\n`);
  } finally {
    store.close();
  }
}

function summary(event: HachiEvent): string {
  return JSON.stringify(event.data);
}
