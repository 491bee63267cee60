// Sample export as a zip encrypted with traditional PKWARE encryption (ZipCrypto) and, by convention,
// the password "infected": what unzip, 7z and Python's zipfile open, and what keeps scanners off the file.
import { Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';

export interface ZipExportEntry {
  /** File name inside the zip, normally `<sha256>` or `<sha256>.bin`; validated, never a path. */
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly modifiedAt: Date;
}

export interface ZipExportLimits {
  /** Sum of entry sizes accepted (the zip is built in memory). Default 64 MiB. */
  readonly maxTotalBytes?: number;
  /** Default 1,000 entries. */
  readonly maxEntries?: number;
}

export const ZIP_EXPORT_PASSWORD = 'infected';
export const DEFAULT_ZIP_MAX_TOTAL_BYTES = 64 * 1024 * 1024;
export const DEFAULT_ZIP_MAX_ENTRIES = 1000;

export type ZipExportErrorCode = 'bad-name' | 'duplicate-name' | 'empty' | 'too-many' | 'too-large' | 'bad-password' | 'bad-date';

export class ZipExportError extends Error {
  readonly code: ZipExportErrorCode;
  constructor(code: ZipExportErrorCode, message: string) {
    super(message);
    this.name = 'ZipExportError';
    this.code = code;
  }
}

// One path component of plain ASCII: no separators, no drive colons, no leading dot or dash (hidden
// files, options to a shell tool), no "..": safe wherever an analyst's tool extracts it.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
// The DOS date in zip headers covers 1980..2107; keep a day of margin for any local time zone.
const DOS_MIN = Date.UTC(1980, 0, 2);
const DOS_MAX = Date.UTC(2107, 11, 30);

/** Throws ZipExportError unless `name` is a safe single file name. */
export function assertSafeEntryName(name: string): void {
  if (!SAFE_NAME.test(name) || name.includes('..')) throw new ZipExportError('bad-name', `unsafe zip entry name ${JSON.stringify(name.slice(0, 80))}`);
}

function checkEntries(entries: readonly ZipExportEntry[], limits: ZipExportLimits): void {
  const maxEntries = limits.maxEntries ?? DEFAULT_ZIP_MAX_ENTRIES;
  const maxTotal = limits.maxTotalBytes ?? DEFAULT_ZIP_MAX_TOTAL_BYTES;
  if (entries.length === 0) throw new ZipExportError('empty', 'nothing to export');
  if (entries.length > maxEntries) throw new ZipExportError('too-many', `${entries.length} entries; the limit is ${maxEntries}`);
  const names = new Set<string>();
  let total = 0;
  for (const entry of entries) {
    assertSafeEntryName(entry.name);
    // zip readers on case-insensitive file systems would overwrite one entry with the other
    const folded = entry.name.toLowerCase();
    if (names.has(folded)) throw new ZipExportError('duplicate-name', `duplicate zip entry name ${entry.name}`);
    names.add(folded);
    if (Number.isNaN(entry.modifiedAt.getTime())) throw new ZipExportError('bad-date', `invalid date for ${entry.name}`);
    total += entry.bytes.byteLength;
    if (total > maxTotal) throw new ZipExportError('too-large', `export exceeds ${maxTotal} bytes`);
  }
}

/**
 * Zip of `entries`, each deflated and encrypted with ZipCrypto under `password`. ZipCrypto is weak on
 * purpose here: the password is public; the point is that scanners and mail filters leave the file alone
 * and that every analyst tool can open it (AES zips need 7z or pyzipper).
 */
export async function encryptedZip(entries: readonly ZipExportEntry[], password = ZIP_EXPORT_PASSWORD, limits: ZipExportLimits = {}): Promise<Uint8Array> {
  // printable ASCII only: tools differ in how they turn other characters into key bytes
  if (!/^[\x20-\x7e]{1,128}$/.test(password)) throw new ZipExportError('bad-password', 'password must be 1-128 printable ASCII characters');
  checkEntries(entries, limits);
  const writer = new ZipWriter(new Uint8ArrayWriter(), { password, zipCrypto: true, useWebWorkers: false, level: 6 });
  for (const entry of entries) {
    const clamped = Math.min(Math.max(entry.modifiedAt.getTime(), DOS_MIN), DOS_MAX);
    await writer.add(entry.name, new Uint8ArrayReader(entry.bytes), { lastModDate: new Date(clamped) });
  }
  return writer.close();
}
