// HTTP Digest (RFC 2617 / RFC 7616 MD5 and MD5-sess, qop=auth): stateless nonces (time + HMAC, so
// nothing is stored per client) and the check of a client's response against the credential list.
import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { HeaderList } from '../core/events.ts';
import { headerValue } from './request-fields.ts';

const MAX_HEADER = 4096;
const MAX_PARAMS = 32;

export interface DigestParams {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  readonly qop: string | null;
  readonly nc: string;
  readonly cnonce: string;
  readonly algorithm: string;
}

/** Parses a Digest Authorization header; null when absent, not Digest, or missing required fields. */
export function digestParams(headers: HeaderList): DigestParams | null {
  const value = headerValue(headers, 'authorization');
  if (value === null || !/^digest\s/i.test(value)) return null;
  const params = new Map<string, string>();
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (const m of value.slice(7, MAX_HEADER).matchAll(re)) {
    if (params.size >= MAX_PARAMS) break;
    const name = (m[1] ?? '').toLowerCase();
    if (!params.has(name)) params.set(name, m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
  }
  const username = params.get('username');
  const nonce = params.get('nonce');
  const uri = params.get('uri');
  const response = params.get('response');
  if (username === undefined || nonce === undefined || uri === undefined || response === undefined) return null;
  return {
    username,
    realm: params.get('realm') ?? '',
    nonce,
    uri,
    response: response.toLowerCase(),
    qop: params.get('qop') ?? null,
    nc: params.get('nc') ?? '',
    cnonce: params.get('cnonce') ?? '',
    algorithm: params.get('algorithm') ?? 'MD5',
  };
}

const md5 = (text: string): string => createHash('md5').update(text, 'latin1').digest('hex');

/** The response a client knowing `password` sends for this request. */
export function digestResponse(p: DigestParams, method: string, realm: string, password: string): string {
  let ha1 = md5(`${p.username}:${realm}:${password}`);
  if (p.algorithm.toUpperCase() === 'MD5-SESS') ha1 = md5(`${ha1}:${p.nonce}:${p.cnonce}`);
  const ha2 = md5(`${method}:${p.uri}`);
  return p.qop === null ? md5(`${ha1}:${p.nonce}:${ha2}`) : md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
}

/** Issues and checks nonces: 8 hex digits of issue time (s) + 32 of HMAC(secret, time:realm). */
export class DigestNonces {
  readonly #secret: KeyObject;
  readonly #lifetimeSeconds: number;
  /** The nonce of the current second: every page carries one, so it is made once per second, not per request. */
  #last = { key: '', nonce: '' };

  constructor(secret: Uint8Array, lifetimeSeconds: number) {
    this.#secret = createSecretKey(secret);
    this.#lifetimeSeconds = lifetimeSeconds;
  }

  issue(nowMs: number, realm: string): string {
    const stamp = (Math.floor(nowMs / 1000) >>> 0).toString(16).padStart(8, '0');
    const key = `${stamp}:${realm}`;
    if (this.#last.key !== key) this.#last = { key, nonce: stamp + this.#mac(stamp, realm) };
    return this.#last.nonce;
  }

  /** 'valid', 'stale' (ours but too old: the client retries with stale=true), or 'invalid'. */
  check(nonce: string, nowMs: number, realm: string): 'valid' | 'stale' | 'invalid' {
    if (!/^[0-9a-f]{40}$/.test(nonce)) return 'invalid';
    const stamp = nonce.slice(0, 8);
    const expected = Buffer.from(this.#mac(stamp, realm));
    if (!timingSafeEqual(expected, Buffer.from(nonce.slice(8)))) return 'invalid';
    const age = Math.floor(nowMs / 1000) - Number.parseInt(stamp, 16);
    return age >= -60 && age <= this.#lifetimeSeconds ? 'valid' : 'stale';
  }

  #mac(stamp: string, realm: string): string {
    return createHmac('sha256', this.#secret).update(`${stamp}:${realm}`).digest('hex').slice(0, 32);
  }
}
