// The fetcher: turns a URL a bot named into bytes, safely. Resolves the host, lets the SSRF guard
// pick the address, follows redirects (each hop re-checked), runs HTTP/HTTPS, FTP or TFTP under
// hard limits and the concurrency gate, and shares one result among everyone asking for the same URL.
import { createHash } from 'node:crypto';
import type { AddressGuard } from './address-guard.ts';
import type { FetchGate } from './fetch-gate.ts';
import type { HttpGetOptions, HttpResult } from './http-client.ts';
import type { TransferLimits, TransferOutcome, TransferResult, TransferTarget } from './transfer.ts';

export type FetchOutcome = TransferOutcome | 'disabled' | 'queue-full' | 'queue-timeout' | 'bad-url' | 'unsupported';

export interface FetchRecord {
  readonly url: string;
  /** The URL the payload came from, after redirects. */
  readonly finalUrl: string;
  readonly outcome: FetchOutcome;
  readonly status: string | null;
  /** HTTP status line, for the device's own error message. */
  readonly statusLine: string | null;
  /** The address contacted last (null when none was). */
  readonly address: string | null;
  readonly bytes: number;
  readonly sha256: string | null;
  /** The payload when outcome is 'ok' (null once evicted from the shared cache: read it from the store). */
  readonly body: Uint8Array | null;
  readonly redirects: number;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly detail: string;
  /** True when this record was shared from an earlier or running fetch of the same URL. */
  readonly shared: boolean;
}

export interface Transports {
  http(options: HttpGetOptions): Promise<HttpResult>;
  /** `login` from the URL's user info; null means anonymous. */
  ftp(target: TransferTarget, path: string, login: { readonly user: string; readonly pass: string } | null, limits: TransferLimits, signal?: AbortSignal): Promise<TransferResult>;
  tftp(target: TransferTarget, file: string, limits: TransferLimits, signal?: AbortSignal): Promise<TransferResult>;
}

export interface FetcherOptions {
  readonly enabled: boolean;
  readonly guard: AddressGuard;
  readonly gate: FetchGate;
  readonly transports: Transports;
  readonly limits: TransferLimits;
  readonly maxRedirects: number;
  /** Names to addresses (dns.lookup in production). */
  readonly resolve: (host: string) => Promise<readonly string[]>;
  readonly now: () => number;
  /** How long a result is shared with later requests for the same URL. */
  readonly shareForMs: number;
  /** Payload bytes the shared-result cache may hold in memory. */
  readonly maxCachedBytes: number;
}

export interface Fetcher {
  fetch(url: string, userAgent: string): Promise<FetchRecord>;
  /** Aborts running fetches and refuses waiting and later ones, so each still ends with a record. */
  close(): void;
}

const supported = new Set(['http:', 'https:', 'ftp:', 'tftp:']);

export function createFetcher(options: FetcherOptions): Fetcher {
  const cache = new Map<string, { readonly at: number; record: Promise<FetchRecord>; bytes: number }>();
  const stopping = new AbortController();
  let cachedBytes = 0;

  const evict = (): void => {
    const now = options.now();
    for (const [key, entry] of cache) {
      if (cachedBytes <= options.maxCachedBytes && now - entry.at <= options.shareForMs) break;
      cache.delete(key);
      cachedBytes -= entry.bytes;
    }
  };

  const base = (url: string, startedAt: number): Omit<FetchRecord, 'outcome' | 'detail'> => ({
    url,
    finalUrl: url,
    status: null,
    statusLine: null,
    address: null,
    bytes: 0,
    sha256: null,
    body: null,
    redirects: 0,
    startedAt,
    durationMs: 0,
    shared: false,
  });

  /** The first address of `host` the guard allows, or why there is none. */
  const pick = async (host: string): Promise<{ address: string } | { outcome: FetchOutcome; detail: string }> => {
    const bare = host.replace(/^\[|\]$/g, '');
    let addresses: readonly string[];
    try {
      addresses = /^[\d.]+$|:/.test(bare) ? [bare] : await options.resolve(bare);
    } catch (error) {
      return { outcome: 'dns-failed', detail: `cannot resolve ${bare}: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (addresses.length === 0) return { outcome: 'dns-failed', detail: `no address for ${bare}` };
    const verdicts = addresses.map((address) => ({ address, verdict: options.guard.check(address) }));
    const allowed = verdicts.find((v) => v.verdict.allowed);
    if (allowed) return { address: allowed.address };
    return { outcome: 'blocked', detail: `refused by the SSRF guard: ${verdicts.map((v) => `${v.address} (${v.verdict.reason})`).join(', ')}` };
  };

  const transfer = async (first: URL, userAgent: string, startedAt: number): Promise<FetchRecord> => {
    let url = first;
    let redirects = 0;
    for (;;) {
      const chosen = await pick(url.hostname);
      const record = { ...base(first.href, startedAt), finalUrl: url.href, redirects };
      if (!('address' in chosen)) return { ...record, ...chosen };
      const target: TransferTarget = { address: chosen.address, port: Number(url.port) || defaultPort(url.protocol) };
      const signal = AbortSignal.any([AbortSignal.timeout(options.limits.timeoutMs + 1000), stopping.signal]);
      let result: TransferResult & { readonly location?: string | null; readonly statusLine?: string | null };
      if (url.protocol === 'http:' || url.protocol === 'https:') {
        result = await options.transports.http({ url, target, limits: options.limits, userAgent, signal });
      } else if (url.protocol === 'ftp:') {
        const login = url.username === '' ? null : { user: safeDecode(url.username), pass: safeDecode(url.password) };
        result = await options.transports.ftp(target, safeDecode(url.pathname), login, options.limits, signal);
      } else {
        result = await options.transports.tftp(target, safeDecode(url.pathname).replace(/^\//, ''), options.limits, signal);
      }
      const done = { ...record, address: chosen.address, status: result.status, statusLine: result.statusLine ?? null, bytes: result.bytes, detail: result.detail };
      const location = result.location ?? null;
      if (result.outcome === 'ok' && location !== null) {
        if (redirects >= options.maxRedirects) return { ...done, outcome: 'too-many-redirects', detail: `more than ${options.maxRedirects} redirects` };
        const next = parseUrl(location, url);
        if (next === null || !supported.has(next.protocol)) return { ...done, outcome: 'bad-url', detail: `redirect to an unusable URL: ${location.slice(0, 200)}` };
        url = next;
        redirects += 1;
        continue;
      }
      if (result.outcome !== 'ok' || result.body === null) return { ...done, outcome: result.outcome, body: null };
      const sha256 = createHash('sha256').update(result.body).digest('hex');
      return { ...done, outcome: 'ok', body: result.body, sha256 };
    }
  };

  const run = async (url: URL, userAgent: string): Promise<FetchRecord> => {
    const startedAt = options.now();
    const finish = (record: FetchRecord): FetchRecord => ({ ...record, durationMs: Math.max(0, options.now() - startedAt) });
    try {
      const slot = await options.gate.run(url.hostname, () => transfer(url, userAgent, startedAt));
      if (slot.ran) return finish(slot.value);
      const detail = { 'queue-full': 'too many fetches waiting; not fetched', 'queue-timeout': 'waited too long for a free slot; not fetched', closed: 'hachi is stopping; not fetched' }[slot.why];
      return finish({ ...base(url.href, startedAt), outcome: slot.why === 'closed' ? 'error' : slot.why, detail });
    } catch (error) {
      return finish({ ...base(url.href, startedAt), outcome: 'error', detail: error instanceof Error ? error.message : String(error) });
    }
  };

  return {
    async fetch(raw, userAgent) {
      const startedAt = options.now();
      const url = parseUrl(raw, null);
      if (url === null) return { ...base(raw, startedAt), outcome: 'bad-url', detail: 'not a URL' };
      if (!supported.has(url.protocol)) return { ...base(raw, startedAt), outcome: 'unsupported', detail: `scheme ${url.protocol} is not fetched` };
      if (!options.enabled) return { ...base(raw, startedAt), outcome: 'disabled', detail: 'fetching is off (record-only mode)' };
      evict();
      const key = url.href;
      const hit = cache.get(key);
      if (hit) return { ...(await hit.record), shared: true };
      const entry = { at: startedAt, record: run(url, userAgent), bytes: 0 };
      cache.set(key, entry);
      const record = await entry.record;
      if (cache.get(key) === entry) {
        entry.bytes = record.body?.length ?? 0;
        cachedBytes += entry.bytes;
        evict();
      }
      return record;
    },
    close() {
      options.gate.close();
      stopping.abort();
    },
  };
}

/** Percent-decoding that keeps a malformed escape as typed instead of throwing. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : protocol === 'ftp:' ? 21 : protocol === 'tftp:' ? 69 : 80;
}

/** WHATWG URL parsing, relative to `base` for redirects; null when it is not a URL. */
function parseUrl(raw: string, base: URL | null): URL | null {
  try {
    return base === null ? new URL(raw) : new URL(raw, base);
  } catch {
    return null;
  }
}
