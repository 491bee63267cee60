// A session's door to the fetcher: every URL a download tool names is fetched (or refused) in the
// background, recorded as `download.fetch`, and its payload stored once by hash. The session waits
// at most `waitMs` for the bytes, so a slow malware host never holds up the attacker's shell.
import type { DownloadTool } from '../core/events.ts';
import type { ArtifactStore, DownloadPort, DownloadReply, Logger, SessionEmitter } from '../core/ports.ts';
import type { Fetcher, FetchRecord } from '../fetch/fetcher.ts';

/** A payload that arrived, for analysis and dropper follow-up. */
export interface FetchedPayload {
  readonly sha256: string;
  readonly bytes: Uint8Array;
  readonly url: string;
  readonly tool: DownloadTool;
  readonly depth: number;
}

export interface SessionDownloadsOptions {
  readonly fetcher: Fetcher;
  readonly events: SessionEmitter;
  readonly artifacts: ArtifactStore;
  readonly logger: Pick<Logger, 'warn'>;
  /** Longest a download command waits for its payload before it answers anyway. */
  readonly waitMs: number;
  /** User-Agent each tool sends, as the device's own build of it would. */
  readonly userAgent: (tool: DownloadTool) => string;
  readonly onPayload?: (payload: FetchedPayload) => void;
}

export interface SessionDownloads extends DownloadPort {
  /** Fetches a URL found in a dropper script `parent` (no session is waiting for it). */
  follow(request: { readonly tool: DownloadTool; readonly url: string; readonly parent: string; readonly depth: number }): Promise<FetchRecord>;
  /** Resolves when every fetch started so far is recorded and stored. */
  idle(): Promise<void>;
}

export function createSessionDownloads(options: SessionDownloadsOptions): SessionDownloads {
  const { events, artifacts, logger } = options;
  const pending = new Set<Promise<unknown>>();

  const settle = async (record: FetchRecord, tool: DownloadTool, parent: string | null, depth: number): Promise<void> => {
    events.emit('download.fetch', {
      tool,
      url: record.url,
      finalUrl: record.finalUrl,
      outcome: record.outcome,
      status: record.status,
      bytes: record.bytes,
      sha256: record.sha256,
      address: record.address,
      durationMs: record.durationMs,
      redirects: record.redirects,
      shared: record.shared,
      detail: record.detail,
      parent,
      depth,
    });
    if (record.outcome !== 'ok' || record.sha256 === null) return;
    const bytes = record.body ?? (await artifacts.get(record.sha256));
    if (bytes === null) return;
    try {
      await artifacts.put(record.sha256, bytes);
    } catch (error) {
      logger.warn('fetched payload could not be stored', { session: events.sessionId, url: record.url, sha256: record.sha256, error: error instanceof Error ? error.message : String(error) });
      return;
    }
    options.onPayload?.({ sha256: record.sha256, bytes, url: record.url, tool, depth });
  };

  const start = (tool: DownloadTool, url: string, parent: string | null, depth: number): Promise<FetchRecord> => {
    const fetched = options.fetcher.fetch(url, options.userAgent(tool));
    const recorded = fetched.then((record) => settle(record, tool, parent, depth));
    const tracked = recorded.catch((error: unknown) => logger.warn('fetch bookkeeping failed', { session: events.sessionId, url, error: String(error) })).finally(() => pending.delete(tracked));
    pending.add(tracked);
    return fetched;
  };

  return {
    async fetch({ tool, url }): Promise<DownloadReply> {
      const fetched = start(tool, url, null, 0);
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), options.waitMs)));
      const record = await Promise.race([fetched, waited]);
      clearTimeout(timer);
      if (record === null) return { outcome: 'pending', body: null, statusLine: null, address: null };
      const body = record.outcome === 'ok' && record.sha256 !== null ? (record.body ?? (await artifacts.get(record.sha256))) : null;
      return { outcome: record.outcome, body, statusLine: record.statusLine, address: record.address };
    },
    follow({ tool, url, parent, depth }) {
      return start(tool, url, parent, depth);
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
