// /proc files whose content follows the clock on a running device: /proc/uptime and /proc/loadavg.
// A fixed figure would be a fingerprint (two looks minutes apart that agree to the hundredth).
import type { Clock } from '../../core/ports.ts';

const encoder = new TextEncoder();

/** The 1, 5 and 15 minute load of an idle embedded device, drifting a little with the clock. */
export function loadAverages(now: number): [number, number, number] {
  const drift = (now % 7000) / 100_000;
  return [0.08 + drift, 0.05 + drift / 2, 0.01 + drift / 4];
}

/** Live content for the paths it knows, undefined for every other path. */
export function liveProcFiles(bootedAt: number, clock: Clock): (path: string) => Uint8Array | undefined {
  return (path) => {
    const now = clock.now();
    if (path === '/proc/uptime') {
      const up = Math.max(0, (now - bootedAt) / 1000);
      // Idle time of a mostly idle single-core device: a little less than the uptime.
      return encoder.encode(`${up.toFixed(2)} ${(up * 0.93).toFixed(2)}\n`);
    }
    if (path === '/proc/loadavg') {
      const [one, five, fifteen] = loadAverages(now);
      const lastPid = 1000 + (Math.floor(now / 1000) % 30_000);
      return encoder.encode(`${one.toFixed(2)} ${five.toFixed(2)} ${fifteen.toFixed(2)} 1/64 ${lastPid}\n`);
    }
    return undefined;
  };
}
