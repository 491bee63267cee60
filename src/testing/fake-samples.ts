// Synthetic "malware-like" samples for analysis tests: an ELF header, deterministic filler and the
// public indicator strings of a family. Never real malware: nothing here executes or does anything.

/** Deterministic filler bytes (xorshift32) standing in for machine code. */
export function filler(length: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** A 52-byte ELF32 little-endian ARM executable header. */
export function elfHeader(): Uint8Array {
  const bytes = new Uint8Array(52);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
  view.setUint16(16, 2, true);
  view.setUint16(18, 40, true);
  view.setUint32(20, 1, true);
  view.setUint32(24, 0x8054, true);
  view.setUint16(40, 52, true);
  return bytes;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** NUL-terminated strings padded to 4 bytes, as a compiler lays out .rodata. */
export function cStrings(strings: readonly string[]): Uint8Array {
  return concat(strings.map((s) => padded(Buffer.from(`${s}\0`, 'latin1'))));
}

function padded(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  out.set(bytes);
  return out;
}

export type TableItem = string | { readonly port: number };

/**
 * A Mirai-style table as table.c's literals compile: each string XORed with `key` including its NUL,
 * each port two bytes in network order XORed with `key`, then the compiler's NUL and padding.
 */
export function xorTable(items: readonly TableItem[], key: number): Uint8Array {
  return concat(
    items.map((item) => {
      const plain = typeof item === 'string' ? Buffer.from(`${item}\0`, 'latin1') : Buffer.from([item.port >> 8, item.port & 0xff]);
      const literal = Buffer.alloc(plain.length + 1);
      for (let i = 0; i < plain.length; i++) literal[i] = plain[i]! ^ key;
      return padded(literal);
    }),
  );
}

/** The order of entries in the public table.c, with a chosen C2 and scan callback. */
export function miraiTableItems(opts: { cnc: string; cncPort: number; report: string; reportPort: number; brand?: string }): TableItem[] {
  const brand = opts.brand ?? 'MIRAI';
  return [
    opts.cnc, { port: opts.cncPort }, opts.report, { port: opts.reportPort }, 'listening tun0',
    'https://youtu.be/dQw4w9WgXcQ', '/proc/', '/exe', ' (deleted)', '/fd', '.anime', '/status', 'REPORT %s:%s',
    'HTTPFLOOD', 'LOLNOGTFO', 'zollard', 'GETLOCALIP', 'shell', 'enable', 'system', 'sh', `/bin/busybox ${brand}`,
    `${brand}: applet not found`, 'ncorrect', '/bin/busybox ps', '/bin/busybox kill -9 ', 'TSource Engine Query',
    '/etc/resolv.conf', 'nameserver ', 'Connection: keep-alive', 'Accept-Language: en-US,en;q=0.8',
  ];
}

/** An ELF with filler, the plain watchdog paths and a Mirai-style table XORed with `key`. */
export function miraiLikeSample(key: number, opts: Parameters<typeof miraiTableItems>[0], size = 64 * 1024): Uint8Array {
  const table = xorTable(miraiTableItems(opts), key);
  const creds = xorTable(['root', 'xc3511', 'root', 'vizxv', 'admin', 'admin', 'root', 'xmhdipc', 'root', 'juantech', 'root', '7ujMko0vizxv'], key);
  const plain = cStrings(['/dev/watchdog', '/dev/misc/watchdog']);
  const head = elfHeader();
  const rest = size - head.length - table.length - creds.length - plain.length - 48;
  const a = Math.floor(rest / 2);
  return concat([head, filler(a, key + 1), new Uint8Array(16), plain, table, new Uint8Array(16), creds, new Uint8Array(16), filler(rest - a, key + 2)]);
}

/** An ELF with filler and the given plain strings (a family's public indicators, or benign text). */
export function elfWithStrings(strings: readonly string[], size = 32 * 1024, seed = 7): Uint8Array {
  const head = elfHeader();
  const text = cStrings(strings);
  const rest = Math.max(0, size - head.length - text.length - 16);
  return concat([head, filler(rest, seed), new Uint8Array(16), text]);
}

export const gafgytStrings = ['PING', 'PONG!', 'GETLOCALIP', 'My IP: %s', 'SCANNER ON | OFF', 'SCANNER ON', 'SCANNER OFF', 'KILLATTK', 'LOLNOGTFO', 'Killed %d.'];
export const moziStrings = ['[ss]', '[ssx]', '[hp]', '[cpu]', '[idp]', '[count]', '[atk]', 'dht.transmissionbt.com', 'router.bittorrent.com', "This node doesn't accept announces"];
export const tsunamiStrings = ['NOTICE %s :Kaiten wa goraku', 'NOTICE %s :TSUNAMI <target> <secs>', 'NOTICE %s :PAN <target> <port> <secs>', 'NICK %s\nUSER %s localhost localhost :%s'];
export const xorddosStrings = ['BB2FA36AAA9541F0', 'denyip=', 'rmfile=', 'filename=', '/etc/cron.hourly/gcc.sh'];
export const hajimeMessage = 'Just a white hat, securing some systems. Important messages will be signed like this! Hajime Author. Contact CLOSED Stay sharp!';
