// Asks the kernel's connection tracking where a redirected connection was going: runs `conntrack -L`
// (argv, never a shell) for one source address and port. Bounded: few lookups at once, each timed out.
import { execFile } from 'node:child_process';
import { isIP } from 'node:net';
import type { Endpoint } from '../core/events.ts';
import { originalDestination, parseConntrack, type LocalEnd } from './conntrack-entry.ts';

/** Original destination of a flow that reached `local` from `source`; null when unknown. Never rejects. */
export type OriginalDestinationLookup = (protocol: 'tcp' | 'udp', source: Endpoint, local: LocalEnd) => Promise<Endpoint | null>;

export interface ConntrackLookupOptions {
  /** The conntrack program (conntrack-tools); needs CAP_NET_ADMIN in the firewall's network namespace. */
  readonly path: string;
  readonly timeoutMs: number;
  /** Lookups running at once; past it a flow's destination is simply unknown (a flood must not fork-bomb). */
  readonly maxInFlight: number;
  /** Called once when conntrack cannot run at all (missing, no permission); lookups stop after it. */
  readonly onUnavailable: (reason: string) => void;
}

const MAX_OUTPUT = 256 * 1024;

export function createConntrackLookup(options: ConntrackLookupOptions): OriginalDestinationLookup {
  let inFlight = 0;
  let unavailable = false;
  const giveUp = (reason: string): void => {
    if (unavailable) return;
    unavailable = true;
    options.onUnavailable(reason);
  };
  return (protocol, source, local) => {
    const family = isIP(source.ip);
    if (unavailable || inFlight >= options.maxInFlight || family === 0 || (local.ip !== null && isIP(local.ip) !== family)) return Promise.resolve(null);
    inFlight += 1;
    const argv = ['-L', '-f', family === 4 ? 'ipv4' : 'ipv6', '-p', protocol, '--orig-src', source.ip, '--orig-port-src', String(source.port), '-o', 'extended'];
    return new Promise<Endpoint | null>((resolve) => {
      execFile(options.path, argv, { timeout: options.timeoutMs, maxBuffer: MAX_OUTPUT, windowsHide: true }, (error, stdout, stderr) => {
        inFlight -= 1;
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          // No program, or no right to read the table: asking again would fail the same way.
          if (code === 'ENOENT' || code === 'EACCES' || /not permitted|permission denied/i.test(stderr)) giveUp(`${options.path}: ${code === 'ENOENT' ? 'not installed' : stderr.trim().slice(0, 200) || error.message}`);
          resolve(null);
          return;
        }
        resolve(originalDestination(parseConntrack(stdout), protocol, source, local));
      });
    });
  };
}
