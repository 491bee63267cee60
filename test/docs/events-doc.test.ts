// docs/events.md must list exactly the events and fields of the catalogue in src/core/events.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { eventCatalogue, eventTypes } from '../../src/core/events.ts';

const doc = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');

function documentedEvents(): Map<string, Set<string>> {
  const events = new Map<string, Set<string>>();
  let current: Set<string> | null = null;
  for (const line of doc.split('\n')) {
    const heading = /^## `([a-z.-]+)`/.exec(line);
    if (heading) {
      current = new Set();
      events.set(heading[1]!, current);
      continue;
    }
    const row = /^\| `([A-Za-z0-9_]+)` \|/.exec(line);
    if (row && current) current.add(row[1]!);
  }
  return events;
}

test('docs/events.md lists every event of the catalogue and no other', () => {
  assert.deepEqual([...documentedEvents().keys()].sort(), [...eventTypes].sort());
});

test('docs/events.md lists exactly the fields of each event', () => {
  const documented = documentedEvents();
  for (const type of eventTypes) {
    assert.deepEqual([...(documented.get(type) ?? [])].sort(), Object.keys(eventCatalogue[type].fields).sort(), `fields of ${type}`);
  }
});

test('event ids are stable dotted lowercase names', () => {
  for (const type of eventTypes) assert.match(type, /^[a-z]+(\.[a-z-]+)+$/);
});
