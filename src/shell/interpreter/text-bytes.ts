// The shell works on byte strings (one char per byte, 0-255) so droppers round-trip exactly.
// These convert at the edges: bytes <-> shell strings, and text from commands -> bytes.

/** Bytes as a shell string: each byte becomes the char with the same code (latin1). */
export function bytesToShell(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/**
 * A string as bytes. Shell strings (all chars <= 0xFF) map 1:1; a string holding wider chars is
 * real Unicode text (e.g. from persona data) and is encoded as UTF-8.
 */
export function shellToBytes(text: string): Uint8Array {
  return /[^\x00-\xff]/.test(text) ? Buffer.from(text, 'utf8') : Buffer.from(text, 'latin1');
}

/** Normalises attacker input: already-bytes strings pass through, Unicode is UTF-8 encoded. */
export function inputToShell(text: string): string {
  return /[^\x00-\xff]/.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

export function dataToBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? shellToBytes(data) : data;
}
