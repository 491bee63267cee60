// Parsing and validating query API parameters: a rejected value throws ParameterError, which the
// server answers with 400 naming the parameter. Unknown and repeated parameters are rejected too.
import { isIP } from 'node:net';

export class ParameterError extends Error {
  readonly parameter: string;
  constructor(parameter: string, message: string) {
    super(message);
    this.parameter = parameter;
    this.name = 'ParameterError';
  }
}

/** Largest page any list route returns. */
export const MAX_PAGE = 500;
/** Longest free-text filter value (characters). */
export const MAX_TEXT = 256;

/** Rejects names outside `allowed` and names given twice, so a typo never silently widens a query. */
export function onlyParams(query: URLSearchParams, allowed: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of query.keys()) {
    if (!allowed.includes(name)) throw new ParameterError(name.slice(0, 64), `unknown parameter (allowed: ${allowed.join(', ') || 'none'})`);
    if (seen.has(name)) throw new ParameterError(name, 'given more than once');
    seen.add(name);
  }
}

export function textParam(query: URLSearchParams, name: string, max = MAX_TEXT): string | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (value === '' || value.length > max) throw new ParameterError(name, `must be 1 to ${max} characters`);
  return value;
}

export function limitParam(query: URLSearchParams, fallback: number, max = MAX_PAGE): number {
  const value = query.get('limit');
  if (value === null) return fallback;
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1 || Number(value) > max) throw new ParameterError('limit', `must be an integer from 1 to ${max}`);
  return Number(value);
}

/** A time as milliseconds since the epoch or an ISO 8601 date/time. */
export function timeParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const ms = /^\d{1,15}$/.test(value) ? Number(value) : /^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) ? Date.parse(value) : NaN;
  if (!Number.isSafeInteger(ms)) throw new ParameterError(name, 'must be milliseconds since the epoch or an ISO 8601 date/time');
  return ms;
}

export function ipParam(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (value.length > 64 || isIP(value) === 0) throw new ParameterError(name, 'must be an IPv4 or IPv6 address');
  return value;
}

export function choiceParam<T extends string>(query: URLSearchParams, name: string, choices: readonly T[]): T | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const found = choices.find((c) => c === value);
  if (found === undefined) throw new ParameterError(name, `must be one of ${choices.join(', ')}`);
  return found;
}

/** Cursors are opaque to clients: base64url of the fields that position the next page. */
export function encodeCursor(fields: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url');
}

/** The cursor's fields, checked against `shape` ('n' an integer, 's' a string of at most 128 characters). */
export function cursorParam(query: URLSearchParams, name: string, shape: readonly ('n' | 's')[]): (string | number)[] | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  const fail = (): never => {
    throw new ParameterError(name, 'is not a cursor returned by this API');
  };
  if (value.length > 512 || !/^[A-Za-z0-9_-]+$/.test(value)) return fail();
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return fail();
  }
  if (!Array.isArray(fields) || fields.length !== shape.length) return fail();
  const ok = shape.every((kind, i) => {
    const f: unknown = fields[i];
    return kind === 'n' ? Number.isSafeInteger(f) : typeof f === 'string' && f.length <= 128;
  });
  return ok ? (fields as (string | number)[]) : fail();
}
