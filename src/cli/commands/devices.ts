// `hachi devices`: each real device behind the relay, its state (last health report), relayed
// sessions and last reset; `hachi devices reset NAME` asks the running hachi to run its reset hook.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONTROL_DIR } from '../../app/control-requests.ts';
import { HachiError } from '../../core/errors.ts';
import { openStore } from '../../storage/store.ts';
import { formatTable } from '../table.ts';
import { dataDirFrom } from './data-dir.ts';

const when = (ts: number | null): string => (ts === null ? '-' : new Date(ts).toISOString().slice(0, 19).replace('T', ' '));

export function devicesCommand(options: { readonly data?: string; readonly json?: boolean }): void {
  const store = openStore(dataDirFrom(options.data));
  try {
    const devices = store.listDevices();
    if (options.json) {
      for (const d of devices) process.stdout.write(`${JSON.stringify(d)}\n`);
      return;
    }
    if (devices.length === 0) {
      process.stdout.write('no real device has been relayed or probed yet (configure `devices` and run hachi)\n');
      return;
    }
    const rows = devices.map((d) => [
      d.device,
      d.up === null ? 'unknown' : d.up ? 'up' : 'down',
      String(d.sessions),
      when(d.lastSession),
      d.lastReset ? `${when(d.lastReset.at)} ${d.lastReset.trigger} exit ${d.lastReset.exitCode ?? 'killed'}` : '-',
    ]);
    process.stdout.write(`${formatTable(['device', 'state', 'sessions', 'last session (UTC)', 'last reset (UTC)'], rows, 80)}\n`);
  } finally {
    store.close();
  }
}

/** Leaves a reset request for the running sensor, then waits for its device.reset event. */
export async function devicesResetCommand(name: string, options: { readonly data?: string; readonly wait?: string }): Promise<void> {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) throw new HachiError('HACHI_ERR_USAGE', `not a device name: ${JSON.stringify(name.slice(0, 80))}`);
  const dataDir = dataDirFrom(options.data);
  const waitMs = Math.max(0, Number(options.wait ?? 120)) * 1000;
  const dir = join(dataDir, CONTROL_DIR);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const id = randomBytes(8).toString('hex');
  const since = Date.now();
  // Written under a name the sensor ignores, then renamed: it never reads half a request.
  await writeFile(join(dir, `.pending-${id}`), JSON.stringify({ device: name }), { mode: 0o600 });
  await rename(join(dir, `.pending-${id}`), join(dir, `reset-${id}.json`));
  process.stdout.write(`reset of ${name} requested; waiting for the running hachi to report it\n`);
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const store = openStore(dataDir);
    try {
      const reset = store.listDevices().find((d) => d.device === name)?.lastReset;
      if (reset && reset.at >= since) {
        process.stdout.write(`${name}: reset (${reset.trigger}) exit ${reset.exitCode ?? 'killed'}: ${reset.detail}\n`);
        process.exitCode = reset.exitCode === 0 ? 0 : 1;
        return;
      }
    } finally {
      store.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  process.stdout.write(`no reset reported within ${waitMs / 1000} s (is hachi running with a reset hook for ${name}?)\n`);
  process.exitCode = 1;
}
