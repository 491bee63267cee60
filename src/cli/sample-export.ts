// Writes one sample out of the honeypot: by default a zip encrypted with the password "infected"
// holding one entry named by its SHA-256; raw bytes only with an explicit acknowledgement and never
// to a terminal. File names come from the hash (or the analyst's --out), never from attacker data.
import { writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HachiError } from '../core/errors.ts';
import { encryptedZip, ZIP_EXPORT_PASSWORD } from '../samples/zip-export.ts';

export const RAW_ACK_FLAG = '--i-understand-this-is-live-malware';

export interface ExportOutput {
  readonly isTTY?: boolean;
  write(chunk: Uint8Array, done: (error?: Error | null) => void): unknown;
}

export interface ExportRequest {
  readonly sha256: string;
  readonly bytes: Uint8Array;
  /** Zip entry time: when the sample was first seen. */
  readonly firstSeen: number;
  readonly raw: boolean;
  readonly acknowledged: boolean;
  /** A file, an existing directory, or "-" for standard output; default `<cwd>/<sha256>.zip` (raw: standard output). */
  readonly out?: string;
  readonly force?: boolean;
  readonly cwd: string;
  readonly stdout: ExportOutput;
}

export interface ExportResult {
  /** The file written, or "-" for standard output. */
  readonly target: string;
  readonly bytes: number;
  readonly format: 'zip' | 'raw';
}

/** Throws unless raw output was acknowledged; call before reading anything. */
export function checkRawAllowed(raw: boolean, acknowledged: boolean): void {
  if (raw && !acknowledged) {
    throw new HachiError('HACHI_ERR_USAGE', `--raw writes live malware unencrypted; add ${RAW_ACK_FLAG} to confirm, or leave out --raw for a zip encrypted with the password "${ZIP_EXPORT_PASSWORD}"`);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function targetOf(req: ExportRequest): string {
  const ext = req.raw ? 'bin' : 'zip';
  if (req.out === '-' || (req.out === undefined && req.raw)) return '-';
  if (req.out === undefined) return join(req.cwd, `${req.sha256}.${ext}`);
  const path = resolve(req.cwd, req.out);
  return isDirectory(path) ? join(path, `${req.sha256}.${ext}`) : path;
}

export async function exportSample(req: ExportRequest): Promise<ExportResult> {
  checkRawAllowed(req.raw, req.acknowledged);
  const target = targetOf(req);
  if (target === '-' && req.stdout.isTTY === true) {
    throw new HachiError('HACHI_ERR_USAGE', `refusing to write ${req.raw ? 'raw malware' : 'a zip'} to a terminal; redirect standard output or pass --out FILE`);
  }
  const payload = req.raw ? req.bytes : await encryptedZip([{ name: req.sha256, bytes: req.bytes, modifiedAt: new Date(req.firstSeen) }]);
  const format = req.raw ? 'raw' : 'zip';
  if (target === '-') {
    await new Promise<void>((done, fail) => req.stdout.write(payload, (error) => (error ? fail(error) : done())));
    return { target, bytes: payload.length, format };
  }
  try {
    // Never executable, readable by the analyst only, and an existing file is kept unless --force.
    await writeFile(target, payload, { flag: req.force ? 'w' : 'wx', mode: 0o600 });
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') throw new HachiError('HACHI_ERR_USAGE', `${target} exists; --force overwrites it`);
    throw new HachiError('HACHI_ERR_USAGE', `cannot write ${target}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return { target, bytes: payload.length, format };
}
