// Child process for the kill -9 test: writes batches into the SQLite sink forever and prints the id
// of every event whose batch `write` acknowledged. The parent SIGKILLs it mid-stream.
import { openSqliteSink } from '../sinks/sqlite.ts';
import { createEventFactory } from './telnet-events.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: sqlite-crash-child.ts DATA_DIR');
const sink = await openSqliteSink({}, { dataDir, now: Date.now });
const factory = createEventFactory(Date.now());
for (let i = 0; ; i++) {
  const batch = [...factory.botSession(i), ...factory.botSession(i + 1)];
  await sink.write(batch);
  // Pipes to a parent are synchronous on Linux, so a printed id was acknowledged before the kill.
  process.stdout.write(`${batch.map((e) => e.id).join('\n')}\n`);
}
