// Finds brute-force credential lists in extracted strings: the user/password tables that Mirai and
// Gafgyt scanners carry. Known defaults are data from public scanner sources (Mirai's scanner.c).
import type { ExtractedString } from './strings.ts';

export const KNOWN_USERNAMES: ReadonlySet<string> = new Set([
  'root', 'admin', 'support', 'user', 'Administrator', 'administrator', 'service', 'supervisor', 'guest',
  'admin1', '666666', '888888', 'ubnt', 'tech', 'mother', 'default', 'telnetadmin', 'e8ehome', 'e8telnet', 'daemon',
]);

export const KNOWN_PASSWORDS: ReadonlySet<string> = new Set([
  'xc3511', 'vizxv', 'admin', '888888', 'xmhdipc', 'default', 'juantech', '123456', '54321', 'support', 'password',
  'root', '12345', 'user', 'pass', 'admin1234', '1111', 'smcadmin', '666666', '1234', 'klv123', 'service',
  'supervisor', 'guest', 'ubnt', 'klv1234', 'Zte521', 'hi3518', 'jvbzd', 'anko', 'zlxx.', '7ujMko0vizxv',
  '7ujMko0admin', 'system', 'ikwb', 'dreambox', 'realtek', '00000000', '1111111', 'meinsm', 'tech', 'fucker',
  'telnetadmin', 'toor', 'changeme', 'e8ehome', 'e8telnet', 'GM8182', 'hslwificam', 'vstarcam2015', '20150602',
]);

export interface CredentialPair {
  readonly username: string;
  readonly password: string;
  readonly offset: number;
}

export interface CredentialList {
  readonly offset: number;
  /** The strings of the run in file order. */
  readonly entries: readonly string[];
  /** Pairs when the run alternates username, password; empty when users and passwords are separate tables. */
  readonly pairs: readonly CredentialPair[];
}

export interface CredentialFindings {
  readonly pairs: readonly CredentialPair[];
  readonly lists: readonly CredentialList[];
}

export interface CredentialLimits {
  readonly maxPairs: number;
  readonly maxLists: number;
  /** Entries kept per list. */
  readonly maxEntries: number;
  /** Largest byte gap between two strings of one run (short strings and padding sit between). */
  readonly maxGap: number;
  /** Fewest entries that make a run a list. */
  readonly minRun: number;
}

export const defaultCredentialLimits: CredentialLimits = { maxPairs: 500, maxLists: 50, maxEntries: 400, maxGap: 64, minRun: 4 };

const INLINE_PAIR = /^([A-Za-z0-9_.]{1,32})[:/ ]([\x21-\x7e]{1,32})$/;

// Cheap tests that rule out most strings of a binary before any set lookup or regex: the first
// character and the length of every known word.
const KNOWN_WORDS = [...KNOWN_USERNAMES, ...KNOWN_PASSWORDS];
const MIN_KNOWN = Math.min(...KNOWN_WORDS.map((w) => w.length));
const MAX_KNOWN = Math.max(...KNOWN_WORDS.map((w) => w.length));
const firstChars = (words: readonly string[]): Uint8Array => {
  const table = new Uint8Array(128);
  for (const w of words) table[w.charCodeAt(0)] = 1;
  return table;
};
const KNOWN_FIRST = firstChars(KNOWN_WORDS);
const USERNAME_FIRST = firstChars([...KNOWN_USERNAMES]);

const known = (s: string): boolean =>
  s.length >= MIN_KNOWN && s.length <= MAX_KNOWN && KNOWN_FIRST[s.charCodeAt(0)] === 1 && (KNOWN_USERNAMES.has(s) || KNOWN_PASSWORDS.has(s));
/** INLINE_PAIR with a known username can only start with a known username's first character. */
const inlinePair = (s: string): RegExpExecArray | null => (s.length <= 65 && USERNAME_FIRST[s.charCodeAt(0)] === 1 ? INLINE_PAIR.exec(s) : null);

export function findCredentials(strings: readonly ExtractedString[], limits: Partial<CredentialLimits> = {}): CredentialFindings {
  const lim = { ...defaultCredentialLimits, ...limits };
  const pairs: CredentialPair[] = [];
  const seen = new Set<string>();
  const addPair = (pair: CredentialPair): void => {
    const key = `${pair.username}\0${pair.password}`;
    if (pairs.length >= lim.maxPairs || seen.has(key)) return;
    seen.add(key);
    pairs.push(pair);
  };
  const lists: CredentialList[] = [];
  let run: ExtractedString[] = [];
  const closeRun = (): void => {
    if (run.length >= lim.minRun && lists.length < lim.maxLists) {
      const list = describeRun(run.slice(0, lim.maxEntries));
      lists.push(list);
      for (const pair of list.pairs) addPair(pair);
    }
    run = [];
  };
  for (const s of strings) {
    const inline = inlinePair(s.text);
    if (inline && KNOWN_USERNAMES.has(inline[1]!) && KNOWN_PASSWORDS.has(inline[2]!)) {
      addPair({ username: inline[1]!, password: inline[2]!, offset: s.offset });
    }
    if (s.encoding !== 'ascii' || !known(s.text)) {
      closeRun();
      continue;
    }
    const last = run[run.length - 1];
    if (last && s.offset - (last.offset + last.text.length) > lim.maxGap) closeRun();
    run.push(s);
  }
  closeRun();
  return { pairs: pairs.sort((a, b) => a.offset - b.offset), lists };
}

function describeRun(run: readonly ExtractedString[]): CredentialList {
  const entries = run.map((s) => s.text);
  const pairs: CredentialPair[] = [];
  // Pairs only when every even position is a username: {"root","xc3511"},{"admin","admin"},...
  // and some odd position is no username at all, so a plain table of usernames is not paired with itself.
  const alternating =
    run.length % 2 === 0 &&
    run.every((s, i) => i % 2 === 1 || KNOWN_USERNAMES.has(s.text)) &&
    run.some((s, i) => i % 2 === 1 && !KNOWN_USERNAMES.has(s.text));
  if (alternating) {
    for (let i = 0; i + 1 < run.length; i += 2) pairs.push({ username: run[i]!.text, password: run[i + 1]!.text, offset: run[i]!.offset });
  }
  return { offset: run[0]!.offset, entries, pairs };
}
