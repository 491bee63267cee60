// Builds the fetcher from its config section: the SSRF guard (with the sensor's own interface
// addresses), the concurrency gate, and the HTTP, FTP and TFTP clients.
import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import type { FetchConfig } from '../config/schema.ts';
import { createAddressGuard } from '../fetch/address-guard.ts';
import { createFetchGate } from '../fetch/fetch-gate.ts';
import { createFetcher, type Fetcher } from '../fetch/fetcher.ts';
import { ANONYMOUS_FTP, ftpGet } from '../fetch/ftp-client.ts';
import { httpGet } from '../fetch/http-client.ts';
import { tftpGet } from '../fetch/tftp-client.ts';

const DNS_TIMEOUT_MS = 5000;

export function createFetchService(config: FetchConfig, now: () => number): Fetcher {
  const interfaces = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
  return createFetcher({
    enabled: config.enabled,
    guard: createAddressGuard({ allow: config.allow, ownAddresses: [...config.ownAddresses, ...interfaces] }),
    gate: createFetchGate({ maxConcurrent: config.maxConcurrent, maxPerHost: config.maxPerHost, maxQueued: config.maxQueued, maxQueuedPerHost: config.maxQueuedPerHost, maxWaitMs: config.maxQueueWaitMs }),
    transports: { http: httpGet, ftp: (target, path, login, limits, signal) => ftpGet(target, path, login ?? ANONYMOUS_FTP, limits, signal), tftp: tftpGet },
    limits: { maxBytes: config.maxBytes, timeoutMs: config.timeoutMs, stallMs: config.stallMs },
    maxRedirects: config.maxRedirects,
    resolve: (host) => resolveWithin(host, DNS_TIMEOUT_MS),
    now,
    shareForMs: config.shareForMs,
    maxCachedBytes: config.maxCachedBytes,
  });
}

async function resolveWithin(host: string, timeoutMs: number): Promise<readonly string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)));
  try {
    const answers = await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
    return answers.map((a) => a.address);
  } finally {
    clearTimeout(timer);
  }
}
