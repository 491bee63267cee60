// Stable error codes (HACHI_ERR_*), documented in docs/errors.md. Messages may change; codes do not.

export const errorCodes = {
  HACHI_ERR_CONFIG: 'The configuration file is invalid (names the file, key path and problem).',
  HACHI_ERR_CONFIG_READ: 'The configuration file could not be read or parsed as YAML.',
  HACHI_ERR_PERSONA: 'A persona pack is invalid (names the pack, file, key path and problem).',
  HACHI_ERR_PERSONA_NOT_FOUND: 'A persona named in the configuration does not exist.',
  HACHI_ERR_BIND: 'A service could not bind its address and port.',
  HACHI_ERR_STORE: 'The embedded store could not be opened or migrated.',
  HACHI_ERR_NOT_FOUND: 'A session, event or sample asked for does not exist.',
  HACHI_ERR_USAGE: 'A command-line argument is invalid.',
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class HachiError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'HachiError';
  }
}
