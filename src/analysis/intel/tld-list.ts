// Top-level domains accepted in extracted domain names: a compact list of common generic and country
// TLDs plus those favoured by IoT botnet operators. Data, not logic; not the whole public suffix list.

const GENERIC = [
  'com', 'net', 'org', 'info', 'biz', 'name', 'pro', 'mobi', 'edu', 'gov', 'mil', 'int', 'arpa',
  'io', 'me', 'tv', 'cc', 'ws', 'fm', 'am', 'ai', 'app', 'dev', 'cloud', 'online', 'site', 'website', 'web',
  'xyz', 'top', 'club', 'live', 'pw', 'icu', 'cyou', 'buzz', 'monster', 'rest', 'work', 'click', 'link',
  'host', 'space', 'fun', 'shop', 'store', 'tech', 'lol', 'wtf', 'zone', 'network', 'services', 'support',
  'today', 'world', 'life', 'digital', 'email', 'stream', 'download', 'win', 'bid', 'loan', 'racing', 'party',
  'review', 'trade', 'date', 'men', 'science', 'cricket', 'accountant', 'faith', 'gdn', 'vip', 'ltd', 'group',
  'asia', 'global', 'systems', 'solutions', 'center', 'media', 'news', 'best', 'run', 'sbs', 'bond', 'cfd',
  'hair', 'beauty', 'quest', 'skin', 'uno', 'casa', 'bar', 'rocks', 'ninja', 'cam', 'ink', 'one',
] as const;

const COUNTRY = [
  'ru', 'su', 'cn', 'ua', 'by', 'kz', 'de', 'uk', 'us', 'eu', 'fr', 'nl', 'it', 'es', 'pt', 'br', 'ar', 'cl',
  'co', 'mx', 'pe', 've', 'in', 'jp', 'kr', 'tw', 'hk', 'vn', 'id', 'th', 'my', 'sg', 'ph', 'pk', 'bd', 'ir',
  'iq', 'tr', 'il', 'ae', 'sa', 'eg', 'za', 'ng', 'ke', 'ro', 'bg', 'cz', 'sk', 'hu', 'gr', 'se', 'no', 'fi',
  'dk', 'be', 'ch', 'at', 'ie', 'lt', 'lv', 'ee', 'is', 'au', 'nz', 'ca', 'tk', 'ml', 'ga', 'cf', 'gq', 'to',
  'ly', 'la', 'nu', 'cx', 'gg', 'im', 'li', 'lu', 'mn', 'st', 'vc', 'cm', 'cd', 'ms', 'gs', 'tc', 'vg', 'ax',
  'pl', 'sh', 'so', 'rs', 'md', 'ps', 'py', 'pm', 'hr', 'si', 'ba', 'mk', 'al', 'ge', 'az', 'uz', 'kg', 'tj',
] as const;

/** Non-ICANN roots some IoT malware resolves through its own resolvers (OpenNIC / Namecoin). */
const ALTERNATIVE = ['bit', 'geek', 'oss', 'parody', 'pirate', 'libre', 'dyn', 'gopher', 'indy', 'null', 'lib'] as const;

export const KNOWN_TLDS: ReadonlySet<string> = new Set<string>([...GENERIC, ...COUNTRY, ...ALTERNATIVE]);

/**
 * TLDs that are also common file extensions: `bins.sh`, `libc.so`, `x.pl`, `README.md`. A name with one
 * of these is accepted only with three or more labels and outside a path.
 */
export const EXTENSION_LIKE_TLDS: ReadonlySet<string> = new Set<string>(['sh', 'so', 'pl', 'py', 'pm', 'rs', 'md', 'ps', 'am', 'in']);
