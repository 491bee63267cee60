// What the store knows about each real device behind the relay: relayed sessions, its last health
// report and its last reset, from the sessions table and the device.* events.
import type { DatabaseSync } from 'node:sqlite';
import { int, intOrNull, text } from './sql-row.ts';

export interface DeviceSummary {
  readonly device: string;
  readonly sessions: number;
  readonly lastSession: number | null;
  /** From the last device.health event: null when none was recorded. */
  readonly up: boolean | null;
  readonly healthAt: number | null;
  readonly healthDetail: string | null;
  readonly lastReset: { readonly at: number; readonly trigger: string; readonly exitCode: number | null; readonly detail: string } | null;
}

export function listDeviceSummaries(db: DatabaseSync): DeviceSummary[] {
  const sessions = new Map(
    db
      .prepare("SELECT persona AS device, count(*) AS n, max(start_ts) AS last FROM sessions WHERE mode = 'real' GROUP BY persona")
      .all()
      .map((r) => [text(r, 'device'), { n: int(r, 'n'), last: intOrNull(r, 'last') }]),
  );
  // The newest event of each kind per device (ids sort in emission order).
  const latest = (type: string): Map<string, { ts: number; data: Record<string, unknown> }> =>
    new Map(
      db
        .prepare(
          `SELECT json_extract(data, '$.device') AS device, ts, data FROM events e
           WHERE type = ? AND id = (SELECT max(id) FROM events f WHERE f.type = e.type AND json_extract(f.data, '$.device') = json_extract(e.data, '$.device'))`,
        )
        .all(type)
        .map((r) => [text(r, 'device'), { ts: int(r, 'ts'), data: JSON.parse(text(r, 'data')) as Record<string, unknown> }]),
    );
  const health = latest('device.health');
  const resets = latest('device.reset');
  const names = [...new Set([...sessions.keys(), ...health.keys(), ...resets.keys()])].sort();
  return names.map((device) => {
    const h = health.get(device);
    const r = resets.get(device);
    return {
      device,
      sessions: sessions.get(device)?.n ?? 0,
      lastSession: sessions.get(device)?.last ?? null,
      up: h ? h.data.up === true : null,
      healthAt: h?.ts ?? null,
      healthDetail: h ? String(h.data.detail ?? '') : null,
      lastReset: r ? { at: r.ts, trigger: String(r.data.trigger ?? ''), exitCode: typeof r.data.exitCode === 'number' ? r.data.exitCode : null, detail: String(r.data.detail ?? '') } : null,
    };
  });
}

