// detectFileType: what a captured payload is (ELF, UPX-packed ELF, shell dropper, script, archive,
// compressed stream, PE, Mach-O, HTML, text, data) from magic numbers and a bounded look; total on any input.
import { BoundedReader, printable } from './bounded-reader.ts';
import { describeElf } from './elf-describe.ts';
import { isElfMagic } from './elf-header.ts';
import { parseElf } from './elf-report.ts';
import { describeMachO, describePe } from './executable-formats.ts';
import { classifyText } from './text-kind.ts';
import { detectUpx } from './upx.ts';

export type FileKind =
  | 'empty' | 'elf' | 'upx-elf' | 'shell-script' | 'script' | 'gzip' | 'zip' | 'tar' | 'xz' | 'bzip2' | '7z' | 'rar'
  | 'lzma' | 'zstd' | 'lzip' | 'cpio' | 'ar' | 'pe' | 'mach-o' | 'html' | 'text' | 'data';

export interface FileType {
  readonly kind: FileKind;
  /** One line in the style of file(1). */
  readonly description: string;
  /** MIME-style label ("application/x-executable", "text/x-shellscript"). */
  readonly mime: string;
  /** For scripts: the interpreter's basename ("sh", "busybox", "python3"); otherwise null. */
  readonly interpreter: string | null;
}

/** Bytes looked at to tell text from binary data. */
const SNIFF = 8 * 1024;

export function detectFileType(bytes: Uint8Array): FileType {
  const t = (kind: FileKind, description: string, mime: string, interpreter: string | null = null): FileType => ({ kind, description, mime, interpreter });
  if (bytes.length === 0) return t('empty', 'empty', 'application/x-empty');
  if (isElfMagic(bytes)) return elfType(bytes);
  const b = (i: number): number => bytes[i] ?? -1;
  const starts = (...sig: number[]): boolean => sig.every((x, i) => b(i) === x);
  if (starts(0x1f, 0x8b)) return t('gzip', gzipDescription(bytes), 'application/gzip');
  if (starts(0x50, 0x4b) && ((b(2) === 3 && b(3) === 4) || (b(2) === 5 && b(3) === 6) || (b(2) === 7 && b(3) === 8))) return t('zip', 'Zip archive data', 'application/zip');
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return t('xz', 'XZ compressed data', 'application/x-xz');
  if (starts(0x42, 0x5a, 0x68) && b(3) >= 0x31 && b(3) <= 0x39) return t('bzip2', `bzip2 compressed data, block size = ${b(3) - 0x30}00k`, 'application/x-bzip2');
  if (starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) return t('7z', `7-zip archive data, version ${b(6)}.${b(7)}`, 'application/x-7z-compressed');
  if (starts(0x52, 0x61, 0x72, 0x21, 0x1a, 0x07)) return t('rar', `RAR archive data, v${b(6) === 1 ? 5 : 4}`, 'application/vnd.rar');
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return t('zstd', 'Zstandard compressed data', 'application/zstd');
  if (starts(0x4c, 0x5a, 0x49, 0x50)) return t('lzip', `lzip compressed data, version ${b(4)}`, 'application/x-lzip');
  if (isLzma(bytes)) return t('lzma', 'LZMA compressed data', 'application/x-lzma');
  if (starts(0x30, 0x37, 0x30, 0x37, 0x30) && (b(5) === 0x31 || b(5) === 0x32 || b(5) === 0x37)) return t('cpio', 'ASCII cpio archive', 'application/x-cpio');
  if ((b(0) === 0xc7 && b(1) === 0x71) || (b(0) === 0x71 && b(1) === 0xc7)) return t('cpio', 'cpio archive', 'application/x-cpio');
  if (starts(0x21, 0x3c, 0x61, 0x72, 0x63, 0x68, 0x3e, 0x0a)) return t('ar', arDescription(bytes), 'application/x-archive');
  if (starts(0x4d, 0x5a)) {
    const upx = detectUpx(bytes);
    return t('pe', `${describePe(bytes)}${upx.packed ? ', UPX compressed' : ''}`, 'application/x-dosexec');
  }
  const macho = describeMachO(bytes);
  if (macho !== null) return t(macho.kind, macho.description, macho.kind === 'mach-o' ? 'application/x-mach-binary' : 'application/java-vm');
  if (bytes.length >= 263 && ascii(bytes, 257, 5) === 'ustar') {
    return t('tar', ascii(bytes, 257, 8) === 'ustar  \0' ? 'GNU tar archive' : 'POSIX tar archive', 'application/x-tar');
  }
  const window = bytes.subarray(0, Math.min(bytes.length, SNIFF));
  if (!isText(window)) return t('data', 'data', 'application/octet-stream');
  const text = classifyText(bytes);
  switch (text.kind) {
    case 'shell-script':
      return t('shell-script', text.shebang ? `${text.interpreter} script, ASCII text executable` : 'shell commands (no shebang), ASCII text', 'text/x-shellscript', text.interpreter);
    case 'script':
      return t('script', `${text.interpreter} script${text.shebang ? ', ASCII text executable' : ' text'}`, `text/x-${text.interpreter.replace(/[\d.]+$/, '') || 'script'}`, text.interpreter);
    case 'html':
      return t('html', 'HTML document text', 'text/html');
    case 'text':
      return text.subtype === 'xml' ? t('text', 'XML document text', 'text/xml')
        : text.subtype === 'json' ? t('text', 'JSON text data', 'application/json')
        : t('text', 'ASCII text', 'text/plain');
  }
}

function elfType(bytes: Uint8Array): FileType {
  const elf = parseElf(bytes);
  const upx = detectUpx(bytes);
  const typeName = elf.type?.name;
  const mime = typeName === 'REL' ? 'application/x-object' : typeName === 'CORE' ? 'application/x-coredump'
    : typeName === 'DYN' ? (elf.interpreter !== null ? 'application/x-pie-executable' : 'application/x-sharedlib') : 'application/x-executable';
  if (!upx.packed) return { kind: 'elf', description: elf.description || describeElf(elf, null), mime, interpreter: null };
  const tags = [`UPX compressed${upx.version === null ? '' : ` (UPX ${upx.version})`}`];
  if (upx.magicAltered) tags.push(`UPX magic altered to "${upx.magic ?? '?'}"`);
  return { kind: 'upx-elf', description: `${elf.description}, ${tags.join(', ')}`, mime, interpreter: null };
}

/** Text when the window has no NUL, few control characters, and is UTF-8 (or mostly ASCII). */
function isText(window: Uint8Array): boolean {
  let control = 0;
  let high = 0;
  for (const c of window) {
    if (c === 0) return false;
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) || c === 0x7f) control++;
    else if (c >= 0x80) high++;
  }
  if (control * 50 > window.length) return false;
  if (high === 0) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(window, { stream: true });
    return true;
  } catch {
    return high * 10 < window.length;
  }
}

function isLzma(bytes: Uint8Array): boolean {
  if (bytes.length < 13 || bytes[0] !== 0x5d || bytes[1] !== 0) return false;
  const r = new BoundedReader(bytes, true);
  const dict = r.u32(1) ?? 0;
  const size = r.u64(5) ?? 0n;
  const dictOk = dict >= 4096 && (Number.isInteger(Math.log2(dict)) || Number.isInteger(Math.log2(dict / 3)));
  return dictOk && (size === 0xffffffffffffffffn || size < 1n << 40n);
}

function gzipDescription(bytes: Uint8Array): string {
  const flags = bytes[3] ?? 0;
  if ((flags & 0x08) === 0 || bytes.length < 11) return 'gzip compressed data';
  const r = new BoundedReader(bytes, true);
  const start = (flags & 0x04) !== 0 ? 12 + (r.u16(10) ?? 0) : 10;
  const name = r.cstring(start, bytes.length, 64);
  return name === undefined || name === '' ? 'gzip compressed data' : `gzip compressed data, was "${name}"`;
}

function arDescription(bytes: Uint8Array): string {
  return ascii(bytes, 8, 13) === 'debian-binary' ? 'Debian binary package' : 'current ar archive';
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  return printable(bytes.subarray(at, at + length)).replace(/\\x00/g, '\0');
}
