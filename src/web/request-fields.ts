// Reads what the responder needs from a request without trusting it: header lookup, cookies,
// url-encoded form fields, and the path as routes compare it. All bounded; nothing throws.
import type { HeaderList } from '../core/events.ts';

const MAX_FIELDS = 64;
const MAX_COOKIES = 64;

export function headerValue(headers: HeaderList, name: string): string | null {
  const lower = name.toLowerCase();
  for (const [key, value] of headers) if (key.toLowerCase() === lower) return value;
  return null;
}

export function cookieValue(headers: HeaderList, name: string): string | null {
  for (const [key, value] of headers) {
    if (key.toLowerCase() !== 'cookie') continue;
    for (const pair of value.split(';').slice(0, MAX_COOKIES)) {
      const eq = pair.indexOf('=');
      if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
    }
  }
  return null;
}

/** Decodes %XX and '+' as a form does; malformed escapes are kept as sent. */
export function formDecode(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** application/x-www-form-urlencoded fields (first occurrence wins), at most MAX_FIELDS. */
export function formFields(body: Uint8Array): ReadonlyMap<string, string> {
  const fields = new Map<string, string>();
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  for (const pair of text.split('&').slice(0, MAX_FIELDS)) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = formDecode(eq < 0 ? pair : pair.slice(0, eq));
    if (!fields.has(name)) fields.set(name, eq < 0 ? '' : formDecode(pair.slice(eq + 1)));
  }
  return fields;
}

/** The path routes compare: percent-escapes decoded when they decode to valid UTF-8, else as sent. */
export function routePath(path: string): string {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
