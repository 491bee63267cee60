// The contract between the HTTP wire layer (protocols/http), the device web interfaces built from
// persona data (web/), and exploit detection (exploits/): a parsed request, the exact response a
// device sends, and the hooks that answer and inspect requests. Types only; no I/O.
import type { Endpoint, EventPayloads, HeaderList } from './events.ts';
import type { SessionEmitter } from './ports.ts';

/** One request as it arrived; also for requests a strict parser rejects (then `error` and `raw` are set). */
export interface HttpRequest {
  /** 1-based position on the connection. */
  readonly seq: number;
  readonly method: string;
  /** The request target as sent ("/cgi-bin/x?a=1", "*", "http://host/..."). */
  readonly target: string;
  /** Path part of the target, not decoded. */
  readonly path: string;
  /** Query without the "?", not decoded. */
  readonly query: string;
  readonly version: string;
  readonly headers: HeaderList;
  /** Body bytes, cut at the body limit. */
  readonly body: Uint8Array;
  /** Declared or received body length (may exceed body.length). */
  readonly bodyBytes: number;
  readonly truncated: boolean;
  /** The raw bytes of a malformed request (cut at a limit); null when it parsed. */
  readonly raw: Uint8Array | null;
  /** Why it did not parse; null when it did. */
  readonly error: string | null;
  readonly tls: boolean;
}

/** Exactly what goes on the wire: status line parts, headers in order, body. Nothing is added. */
export interface HttpResponse {
  /** "HTTP/1.1" or "HTTP/1.0" as the device answers; the request's version when unset. */
  readonly version?: string;
  readonly status: number;
  readonly reason: string;
  readonly headers: HeaderList;
  readonly body: Uint8Array;
  /** Close the connection after this response (as the device would). */
  readonly close?: boolean;
}

export interface HttpExchange {
  readonly events: SessionEmitter;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  readonly now: () => number;
}

/**
 * What a signature match tells the rest of the request's handling: the exploit.detected fields the
 * signature knows (name, CVEs, vendor, product, ATT&CK technique, affected classes, the extracted
 * payload and the evidence), and how a vulnerable device answers (null: the site answers as usual).
 */
export type ExploitMatch = Omit<EventPayloads['exploit.detected'], 'seq' | 'affected'> & { readonly response: HttpResponse | null };

/** A scanner or bot family recognised by request shape (user agent, paths). */
export interface ScannerTag {
  readonly scanner: string;
  readonly kind: 'research' | 'bot' | 'tool';
  readonly evidence: string;
}

/** Looks at each request before it is answered: exploit signatures, scanner fingerprints. Must be fast and never throw. */
export interface HttpInspector {
  inspect(request: HttpRequest): {
    readonly exploits: readonly ExploitMatch[];
    readonly scanner: ScannerTag | null;
    /** Set when no signature matched but the request looks like an attack (an exploit.candidate event). */
    readonly candidate?: { readonly shape: string; readonly reasons: readonly string[] } | null;
  };
}

/** Answers requests as the device's embedded web server does (pages, auth, errors). */
export interface HttpResponder {
  /** The Server header value, for people and nmap checks; null when the device sends none. */
  readonly serverName: string | null;
  respond(request: HttpRequest, exchange: HttpExchange, exploits: readonly ExploitMatch[]): HttpResponse | Promise<HttpResponse>;
}
