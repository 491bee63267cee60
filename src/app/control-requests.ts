// Requests from the `hachi` command line to the running sensor, as files in `<data>/control/`
// (`reset-<id>.json`, written atomically by the CLI): polled, carried out once, then removed.
// Files, not a socket: the data directory's permissions already say who may control hachi.
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../core/ports.ts';

export const CONTROL_DIR = 'control';
export const RESET_REQUEST = /^reset-[0-9A-Za-z]{1,64}\.json$/;
const POLL_MS = 1000;

export function watchControlRequests(dataDir: string, handlers: { reset(device: string): string }, logger: Logger): () => void {
  const dir = join(dataDir, CONTROL_DIR);
  let busy = false;
  const poll = async (): Promise<void> => {
    if (busy) return;
    busy = true;
    try {
      const names = (await readdir(dir).catch((): string[] => [])).filter((n) => RESET_REQUEST.test(n)).slice(0, 100);
      for (const name of names) {
        const path = join(dir, name);
        const text = await readFile(path, 'utf8').catch(() => '');
        await rm(path, { force: true });
        let device: unknown = null;
        try {
          device = (JSON.parse(text) as { device?: unknown }).device;
        } catch {
          // a malformed request is dropped below
        }
        if (typeof device !== 'string') {
          logger.warn('control request without a device name dropped', { file: name });
          continue;
        }
        logger.info('reset requested from the command line', { device, outcome: handlers.reset(device) });
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
