// HTTP Basic (RFC 7617): reads the user and password an Authorization header carries.
import { headerValue } from './request-fields.ts';
import type { HeaderList } from '../core/events.ts';

const MAX_TOKEN = 4096;

/** The credentials of a Basic Authorization header, or null when there is none or it is not Basic. */
export function basicCredentials(headers: HeaderList): { readonly username: string; readonly password: string } | null {
  const value = headerValue(headers, 'authorization');
  if (value === null) return null;
  const match = /^basic\s+([A-Za-z0-9+/=._~-]*)\s*$/i.exec(value.slice(0, MAX_TOKEN));
  if (!match) return null;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { username: decoded, password: '' };
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
