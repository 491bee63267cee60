// Writes docs/events.md from the event catalogue: `npx node scripts/render-events-doc.ts`.
import { writeFileSync } from 'node:fs';
import { eventCatalogue, eventTypes, SCHEMA_VERSION, sensorEventTypes } from '../src/core/events.ts';

const lines: string[] = [
  '# Events',
  '',
  `Every event is one JSON object with a stable dotted \`type\`. Schema version: ${SCHEMA_VERSION}.`,
  '',
  'Common fields of every event: `id` (ULID, unique and time-sortable), `type`, `ts` (ms since the',
  'epoch), `schema`, `sensor` (sensor id), `data` (the payload below).',
  '',
  'Session-bound events (all but ' + sensorEventTypes.map((t) => `\`${t}\``).join(', ') + ') also carry `session`',
  '(session ULID), `protocol`, `mode` (`emulated` or `real`), `persona`, `src` and `dst` (`{ ip, port }`).',
  '',
  'This file is checked against `src/core/events.ts` by `test/docs/events-doc.test.ts`; regenerate',
  'it with `npx node scripts/render-events-doc.ts` after changing the catalogue.',
  '',
];
for (const type of eventTypes) {
  const entry = eventCatalogue[type];
  lines.push(`## \`${type}\``, '', entry.description, '');
  const fields = Object.entries(entry.fields) as [string, string][];
  if (fields.length === 0) {
    lines.push('No payload fields.', '');
    continue;
  }
  lines.push('| field | meaning |', '|---|---|');
  for (const [field, meaning] of fields) lines.push(`| \`${field}\` | ${meaning} |`);
  lines.push('');
}
writeFileSync(new URL('../docs/events.md', import.meta.url), lines.join('\n'));
