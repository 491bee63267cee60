// Strings every build of Mirai's public source keeps in its XOR table (bot/table.c), with the role
// each plays, and the published table keys. Used to find a sample's key and to label decoded entries.

export type MiraiCategory = 'killer' | 'scanner' | 'attack' | 'other';

/** Whole table entries: matched with their terminating NUL, so a hit is a real entry boundary. */
export const KNOWN_ENTRIES: readonly (readonly [string, MiraiCategory])[] = [
  ['/proc/', 'killer'], ['/exe', 'killer'], [' (deleted)', 'killer'], ['/status', 'killer'], ['.anime', 'killer'],
  ['/maps', 'killer'], ['/cmdline', 'killer'], ['/proc/net/tcp', 'killer'], ['REPORT %s:%s', 'killer'],
  ['HTTPFLOOD', 'killer'], ['LOLNOGTFO', 'killer'], ['zollard', 'killer'], ['GETLOCALIP', 'killer'], ['dvrHelper', 'killer'],
  ['shell', 'scanner'], ['enable', 'scanner'], ['system', 'scanner'], ['ncorrect', 'scanner'],
  ['/bin/busybox ps', 'scanner'], ['/bin/busybox kill -9 ', 'scanner'],
  ['TSource Engine Query', 'attack'], ['/etc/resolv.conf', 'attack'], ['nameserver ', 'attack'],
  ['Connection: keep-alive', 'attack'], ['Accept-Language: en-US,en;q=0.8', 'attack'],
  ['Content-Type: application/x-www-form-urlencoded', 'attack'], ["setCookie('", 'attack'], ['refresh:', 'attack'],
  ['location:', 'attack'], ['set-cookie:', 'attack'], ['content-length:', 'attack'], ['transfer-encoding:', 'attack'],
  ['chunked', 'attack'], ['keep-alive', 'attack'], ['connection:', 'attack'], ['server: dosarrest', 'attack'],
  ['server: cloudflare-nginx', 'attack'],
  ['listening tun0', 'other'], ['/dev/watchdog', 'other'], ['/dev/misc/watchdog', 'other'],
];

/** Entry endings (the branded "<BRAND>: applet not found" reply) and beginnings ("/bin/busybox <BRAND>"). */
export const KNOWN_SUFFIXES: readonly string[] = [': applet not found'];
export const KNOWN_PREFIXES: readonly string[] = ['/bin/busybox '];

/** table_key values published in leaked sources; the bot folds the four bytes into one XOR byte. */
export const PUBLISHED_TABLE_KEYS: readonly (readonly [number, string])[] = [
  [0xdeadbeef, 'Mirai (public source)'],
  [0xdedeffba, 'Masuta'],
];

export function foldTableKey(key: number): number {
  return (key ^ (key >>> 8) ^ (key >>> 16) ^ (key >>> 24)) & 0xff;
}

const KILLER_EXACT = new Set(KNOWN_ENTRIES.filter(([, c]) => c === 'killer').map(([t]) => t));
const SCANNER_EXACT = new Set(['sh', ...KNOWN_ENTRIES.filter(([, c]) => c === 'scanner').map(([t]) => t)]);
const ATTACK_EXACT = new Set(KNOWN_ENTRIES.filter(([, c]) => c === 'attack').map(([t]) => t));

/** The role of a decoded table string that is not a C2 address. */
export function categorize(text: string): MiraiCategory {
  if (KILLER_EXACT.has(text) || text.startsWith('/proc/') || text === '/fd' || /^(?:\\x[0-9A-Fa-f]{2})+$/.test(text)) return 'killer';
  if (/^https?:\/\/(?:www\.)?(?:youtube\.com|youtu\.be)\//.test(text)) return 'killer';
  if (SCANNER_EXACT.has(text) || text.startsWith('/bin/busybox') || text.endsWith(': applet not found')) return 'scanner';
  if (ATTACK_EXACT.has(text) || text.startsWith('Mozilla/') || /^[A-Za-z-]+: /.test(text)) return 'attack';
  return 'other';
}
