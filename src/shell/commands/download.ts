// What the download tools share: URL parsing, the download.attempt event, and the device's reply
// when it cannot reach the host (nothing is fetched yet: every transfer fails as if refused).
import type { DownloadTool } from '../../core/events.ts';
import type { CommandContext } from '../command.ts';

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
