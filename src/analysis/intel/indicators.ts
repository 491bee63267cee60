// Network indicators from extracted strings: IPv4/IPv6, domains, URLs, host:port, ports, user agents and
// credential lists. Every pattern is linear on a string (tokenise, then validate in code), every list capped.
import { isIPv6 } from 'node:net';
import { findCredentials, type CredentialFindings } from './credentials.ts';
import type { ExtractedString } from './strings.ts';
import { EXTENSION_LIKE_TLDS, KNOWN_TLDS } from './tld-list.ts';

export interface Hit<T = string> {
  readonly value: T;
  /** Byte offset in the sample of the string the value was found in, plus its position in it. */
  readonly offset: number;
}

export interface PortHit extends Hit<number> {
  readonly source: 'host-port' | 'url' | 'hint';
}

export interface Indicators {
  readonly ipv4: readonly Hit[];
  readonly ipv6: readonly Hit[];
  readonly domains: readonly Hit[];
  readonly urls: readonly Hit[];
  readonly hostPorts: readonly Hit[];
  readonly ports: readonly PortHit[];
  readonly userAgents: readonly Hit[];
  readonly credentials: CredentialFindings;
  /** True when some list reached its cap. */
  readonly truncated: boolean;
}

export interface IndicatorLimits {
  /** Cap for each list. */
  readonly maxPerKind: number;
}

export const defaultIndicatorLimits: IndicatorLimits = { maxPerKind: 500 };

/** A deduplicating, capped list: the first occurrence of each value is kept. */
class HitList<T extends string | number, H extends Hit<T>> {
  readonly items: H[] = [];
  readonly #seen = new Set<T>();
  full = false;
  readonly #max: number;
  constructor(max: number) {
    this.#max = max;
  }
  add(hit: H): void {
    if (this.#seen.has(hit.value)) return;
    if (this.items.length >= this.#max) {
      this.full = true;
      return;
    }
    this.#seen.add(hit.value);
    this.items.push(hit);
  }
}

const VERSION_CONTEXT = /(?:version|ver\.?|v|linux|kernel|gcc|release|build|busybox)[\s:=/-]*$/i;
const DOTTED_RUN = /\d+(?:\.\d+)+/g;
const IPV6_TOKEN = /[0-9A-Fa-f:.]{2,64}/g;
/** A maximal run of name characters with a dot in it (the lookbehind keeps it linear: runs start only once). */
const NAME_TOKEN = /(?<![A-Za-z0-9.-])[A-Za-z0-9-]*\.[A-Za-z0-9.-]*/g;
const URL_RE = /\b(?:https?|ftp|tftp):\/\/[^\s"'<>`\\{}|^]{1,2000}/gi;
const PORT_AFTER_COLON = /:(\d{1,5})(?!\d)/g;
const PORT_HINT = /\bport[\s:=]+(\d{1,5})\b/gi;
const UA_HEADER = /User-Agent:[ \t]*([^\r\n]{4,512})/gi;
const UA_BROWSER = /\b(?:Mozilla|Opera)\/\d+\.\d+ \([^()\r\n]{1,300}\)[^\r\n]{0,300}/g;
const UA_TOOL = /\b(?:Wget|curl|Python-urllib|python-requests|Go-http-client|libwww-perl|okhttp|Dalvik|HTTPClient)\/\d[\w.-]{0,30}/g;

export function isValidIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** A host name with a known TLD; file names such as `bins.sh` or `libc.so` are refused. */
export function isPlausibleDomain(name: string): boolean {
  if (name.length > 253) return false;
  // The TLD first, without splitting: most candidates in a binary are file and symbol names.
  const lastDot = name.lastIndexOf('.');
  if (lastDot < 0 || !KNOWN_TLDS.has(name.slice(lastDot + 1).toLowerCase())) return false;
  const labels = name.toLowerCase().split('.');
  if (labels.length < 2) return false;
  const tld = labels[labels.length - 1]!;
  if (!/^[a-z]{2,24}$/.test(tld) || !KNOWN_TLDS.has(tld)) return false;
  if (EXTENSION_LIKE_TLDS.has(tld) && labels.length < 3) return false;
  return labels.every((l) => l.length >= 1 && l.length <= 63 && /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(l));
}

// Character classes a string contains: one pass over its characters rules out most patterns before any
// regex runs (in a binary most strings are junk that no pattern can match).
const DOT = 1;
const COLON = 2;
const SLASH = 4;
const DIGIT = 8;
const LETTER = 16;
/** "p" or "P": "port" hints. */
const LETTER_P = 32;
/** "u" or "U": "User-Agent" headers. */
const LETTER_U = 64;
/** A second colon: IPv6 addresses have at least two. */
const COLON_2 = COLON << 7;
const CLASSES: Uint8Array = Uint8Array.from({ length: 128 }, (_, code) => {
  const c = String.fromCharCode(code);
  if (c === '.') return DOT;
  if (c === ':') return COLON;
  if (c === '/') return SLASH;
  if (c >= '0' && c <= '9') return DIGIT;
  if (c === 'p' || c === 'P') return LETTER | LETTER_P;
  if (c === 'u' || c === 'U') return LETTER | LETTER_U;
  return /[A-Za-z]/.test(c) ? LETTER : 0;
});

function classesOf(text: string): number {
  let classes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128) continue;
    const c = CLASSES[code]!;
    classes |= c | ((c & classes & COLON) << 7);
  }
  return classes;
}

const has = (classes: number, wanted: number): boolean => (classes & wanted) === wanted;

/** Offsets inside UTF-16 strings advance two bytes per character. */
const offsetIn = (s: ExtractedString, index: number): number => s.offset + (s.encoding === 'ascii' ? index : index * 2);

/** exec() loop over a shared global regex: matchAll would clone the regex for every string. */
function eachMatch(re: RegExp, text: string, fn: (m: RegExpExecArray) => void): void {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    fn(m);
    if (m[0].length === 0) re.lastIndex++;
  }
}

export function extractIndicators(strings: readonly ExtractedString[], limits: Partial<IndicatorLimits> = {}): Indicators {
  const max = { ...defaultIndicatorLimits, ...limits }.maxPerKind;
  const ipv4 = new HitList<string, Hit>(max);
  const ipv6 = new HitList<string, Hit>(max);
  const domains = new HitList<string, Hit>(max);
  const urls = new HitList<string, Hit>(max);
  const hostPorts = new HitList<string, Hit>(max);
  const ports = new HitList<number, PortHit>(max);
  const userAgents = new HitList<string, Hit>(max);
  for (const s of strings) {
    const text = s.text;
    const classes = classesOf(text);
    if (has(classes, DOT | DIGIT)) eachMatch(DOTTED_RUN, text, (m) => {
      const before = text.slice(Math.max(0, m.index - 12), m.index);
      const prev = before.slice(-1);
      const next = text.charAt(m.index + m[0].length);
      if (/[A-Za-z_.-]/.test(prev) || /[A-Za-z_]/.test(next) || VERSION_CONTEXT.test(before)) return;
      if (isValidIpv4(m[0])) ipv4.add({ value: m[0], offset: offsetIn(s, m.index) });
    });
    // The address has two colons and a digit (tested below).
    if (has(classes, COLON_2 | DIGIT)) {
      eachMatch(IPV6_TOKEN, text, (m) => {
        // At least two colons (trailing dots, cut below, are never colons): most tokens are hex words.
        const colon = m[0].indexOf(':');
        if (colon < 0 || m[0].indexOf(':', colon + 1) < 0) return;
        const token = m[0].replace(/\.+$/, '');
        const prev = text.charAt(m.index - 1);
        const next = text.charAt(m.index + m[0].length);
        if (/[A-Za-z0-9_]/.test(prev) || /[A-Za-z0-9_]/.test(next)) return;
        if (token.length >= 3 && /\d/.test(token) && isIPv6(token)) ipv6.add({ value: token.toLowerCase(), offset: offsetIn(s, m.index) });
      });
    }
    // A plausible domain ends in a TLD of letters.
    if (has(classes, DOT | LETTER)) {
      eachMatch(NAME_TOKEN, text, (m) => {
        // A leading dot is a section or hidden file name (".rela.dyn"), not a host.
        if (m[0].startsWith('.')) return;
        const token = m[0].replace(/[.-]+$/, '');
        if (!token.includes('.')) return;
        const start = m.index + m[0].indexOf(token);
        // A name right after "/" is a path component unless the "/" is the end of "scheme://".
        if (text.charAt(start - 1) === '/' && text.slice(Math.max(0, start - 3), start) !== '://') return;
        if (isPlausibleDomain(token)) domains.add({ value: token.toLowerCase(), offset: offsetIn(s, start) });
      });
    }
    if (has(classes, COLON | SLASH) && text.includes('://')) {
      eachMatch(URL_RE, text, (m) => {
        const url = m[0].replace(/[).,;:!?\]'"]+$/, '');
        const port = urlHostPort(url);
        if (port === undefined) return;
        urls.add({ value: url, offset: offsetIn(s, m.index) });
        if (port !== null) ports.add({ value: port, offset: offsetIn(s, m.index), source: 'url' });
      });
    }
    if (has(classes, COLON | DIGIT)) {
      eachMatch(PORT_AFTER_COLON, text, (m) => {
        const port = Number(m[1]);
        const host = hostBefore(text, m.index);
        if (port < 1 || port > 65535 || host === null) return;
        hostPorts.add({ value: `${host}:${port}`, offset: offsetIn(s, m.index - host.length) });
        ports.add({ value: port, offset: offsetIn(s, m.index), source: 'host-port' });
      });
    }
    if (has(classes, LETTER_P | DIGIT) && /port/i.test(text)) eachMatch(PORT_HINT, text, (m) => {
      const port = Number(m[1]);
      if (port >= 1 && port <= 65535) ports.add({ value: port, offset: offsetIn(s, m.index), source: 'hint' });
    });
    const uaHeader = has(classes, LETTER_U | COLON) && /user-agent/i.test(text);
    // Browser and tool agents have "name/1.2"
    const uaVersion = has(classes, SLASH | DIGIT);
    if (uaHeader || uaVersion) for (const re of [UA_HEADER, UA_BROWSER, UA_TOOL]) {
      if (re === UA_HEADER ? !uaHeader : !uaVersion) continue;
      eachMatch(re, text, (m) => {
        const value = (m[1] ?? m[0]).trim();
        if (value.length >= 4 && !value.startsWith('%')) userAgents.add({ value, offset: offsetIn(s, m.index) });
      });
    }
  }
  const lists = [ipv4, ipv6, domains, urls, hostPorts, ports, userAgents];
  const credentials = findCredentials(strings, { maxPairs: max, maxLists: Math.min(max, 50) });
  return {
    ipv4: ipv4.items,
    ipv6: ipv6.items,
    domains: domains.items,
    urls: urls.items,
    hostPorts: hostPorts.items,
    ports: ports.items,
    userAgents: userAgents.items,
    credentials,
    truncated: lists.some((l) => l.full) || credentials.pairs.length >= max,
  };
}

/** The explicit port of a URL with a real host, null without a port, undefined when no real host. */
function urlHostPort(url: string): number | null | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (!(isValidIpv4(host) || isIPv6(host) || isPlausibleDomain(host))) return undefined;
  return parsed.port === '' ? null : Number(parsed.port);
}

/** The IPv4 address, [IPv6] or domain that ends right before the colon at `colon`, or null. */
function hostBefore(text: string, colon: number): string | null {
  if (text.charAt(colon - 1) === ']') {
    const open = text.lastIndexOf('[', colon - 1);
    if (open < 0 || colon - open > 48) return null;
    const inner = text.slice(open + 1, colon - 1);
    return isIPv6(inner) ? `[${inner.toLowerCase()}]` : null;
  }
  let start = colon;
  while (start > 0 && colon - start < 253 && /[A-Za-z0-9.-]/.test(text.charAt(start - 1))) start--;
  const host = text.slice(start, colon);
  if (host === '' || /[A-Za-z0-9_]/.test(text.charAt(start - 1))) return null;
  if (isValidIpv4(host)) return host;
  return isPlausibleDomain(host) ? host.toLowerCase() : null;
}
