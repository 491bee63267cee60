// What the download tools share: URL parsing, the download.attempt event, fetching through
// hachi's fetcher and saving what arrived, and the device's replies when the host cannot be reached.
import type { DownloadTool } from '../../core/events.ts';
import type { DownloadReply } from '../../core/ports.ts';
import type { CommandContext } from '../command.ts';
import { captureIfDirty } from './file-ops.ts';
import { errorText } from './usage.ts';

export interface ParsedUrl {
  readonly scheme: string;
  readonly host: string;
  readonly port: number;
  readonly path: string;
}

const defaultPorts: Readonly<Record<string, number>> = { http: 80, https: 443, ftp: 21, tftp: 69 };

/** `http://host:port/path`; a URL without a scheme is taken as `fallbackScheme`. */
export function parseUrl(url: string, fallbackScheme: string): ParsedUrl | null {
  const match = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(?:[^@/]*@)?(\[[^\]]*\]|[^/:?#]*)(?::(\d*))?([/?#].*)?$/.exec(url);
  if (!match) return null;
  const scheme = (match[1] ?? fallbackScheme).toLowerCase();
  const host = match[2] ?? '';
  if (host === '') return null;
  const port = match[3] ? Number(match[3]) : (defaultPorts[scheme] ?? 80);
  return { scheme, host, port, path: match[4] ?? '/' };
}

export function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
}

export function recordDownload(ctx: CommandContext, tool: DownloadTool, url: string, outputPath: string | null): void {
  ctx.events.emit('download.attempt', { tool, url, outputPath, line: ctx.line });
}

/** `applet: can't connect to remote host (IP): Connection refused` or `bad address` for names. */
export function connectFailure(ctx: CommandContext, applet: string, host: string): number {
  const bare = host.replace(/^\[|\]$/g, '');
  ctx.stderr.write(isIpAddress(host) ? `${applet}: can't connect to remote host (${bare}): Connection refused\n` : `${applet}: bad address '${bare}'\n`);
  return 1;
}

/**
 * Failures the real device would meet too (its host refused, its name did not resolve, the server
 * said 404): the tool reports them. Anything else is hachi's own limit (SSRF guard, record-only
 * mode, a fetch still running, a size cap) and must not show: the tool answers as if it worked.
 */
export type DownloadResult = (
  | { readonly kind: 'saved'; readonly bytes: Uint8Array }
  | { readonly kind: 'refused' | 'bad-address' | 'server-error' | 'write-error'; readonly message: string }
) & { readonly address: string | null };

/** Fetches `url` and writes what arrived to `path` (or returns it for stdout when path is null). */
export async function fetchAndSave(ctx: CommandContext, tool: DownloadTool, url: string, path: string | null): Promise<DownloadResult> {
  const reply: DownloadReply = await ctx.downloads.fetch({ tool, url });
  const { address } = reply;
  switch (reply.outcome) {
    case 'refused':
      return { kind: 'refused', message: 'Connection refused', address };
    case 'dns-failed':
      return { kind: 'bad-address', message: 'bad address', address };
    case 'server-error':
      return { kind: 'server-error', message: reply.statusLine ?? 'HTTP/1.1 404 Not Found', address };
    default:
      break;
  }
  const bytes = reply.outcome === 'ok' && reply.body !== null ? reply.body : new Uint8Array(0);
  if (path === null) return { kind: 'saved', bytes, address };
  try {
    captureIfDirty(ctx, path, 'overwrite');
    ctx.fs.writeFile(path, bytes, { mode: 0o644 });
  } catch (error) {
    return { kind: 'write-error', message: errorText(error), address };
  }
  return { kind: 'saved', bytes, address };
}
