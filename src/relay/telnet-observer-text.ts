// What a Telnet device's output means to the observer: the prompt it waits at (login, password,
// shell), login failure messages, and the terminal line as a person would read it. Pure text work.

/** Patterns the observer applies; strings are latin1 (one char per byte) so binary output cannot break them. */
export interface TelnetPrompts {
  /** Tested on the device's last line when the attacker starts typing: it asks for a user name. */
  readonly user: readonly RegExp[];
  readonly password: readonly RegExp[];
  /** A shell (or CLI) prompt: the login succeeded, or the last command finished. */
  readonly shell: readonly RegExp[];
  /**
   * Searched in everything the device says after a password; a match judges the attempt failed at
   * once. Each must match fewer than 64 characters (the overlap kept between chunks).
   */
  readonly failure: readonly RegExp[];
}

export const defaultTelnetPrompts: TelnetPrompts = {
  // BusyBox/util-linux login ("vm login: ", "(none) login: "), Cisco "Username:", "User Name:", PuTTY-style "login as:".
  user: [/(?:login|user\s?name|user|account)\s*:\s*$/i, /login as:\s*$/i],
  password: [/pass(?:word|wd|code|phrase)?\s*:\s*$/i],
  // "# " "$ " "> " and CLI prompts without the space: Cisco "Router>" "Router#", Huawei "<HG8245>".
  shell: [/[#$>%]\s?$/],
  failure: [
    /\bincorrect\b/i, // BusyBox and util-linux "Login incorrect"
    /\bdenied\b/i,
    /login failed/i,
    /login invalid/i, // Cisco "% Login invalid"
    /authentication fail/i,
    /bad password/i,
    /wrong password/i,
    /invalid (?:login|password|user|credentials)/i,
  ],
};

export type PromptKind = 'user' | 'password' | 'shell' | 'unknown';

/** A prompt line longer than this is output, not a prompt. */
const MAX_PROMPT = 200;

const OSC = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;
const ESC_PAIR = /\x1b[@-Z\\-_]/g;
const LEFTOVER = /[\x1b\x00]/g;

/** Removes terminal escape sequences and NUL padding. */
export function stripEscapes(text: string): string {
  if (!text.includes('\x1b') && !text.includes('\x00')) return text;
  return text.replace(OSC, '').replace(CSI, '').replace(ESC_PAIR, '').replace(LEFTOVER, '');
}

/**
 * The last line of `text` as it stands on the screen: escapes removed, backspaces applied, and
 * only what follows the last CR or LF (ash redraws its prompt after "\r").
 */
export function renderLastLine(text: string): string {
  const plain = stripEscapes(text);
  const line = plain.slice(Math.max(plain.lastIndexOf('\n'), plain.lastIndexOf('\r')) + 1);
  if (!line.includes('\b')) return line;
  const chars: string[] = [];
  for (const char of line) {
    if (char === '\b') chars.pop();
    else chars.push(char);
  }
  return chars.join('');
}

/** What the device waits for, judged from the end of its output. */
export function classifyPrompt(text: string, prompts: TelnetPrompts): PromptKind {
  const line = renderLastLine(text);
  if (line.trim() === '' || line.length > MAX_PROMPT) return 'unknown';
  if (prompts.password.some((p) => p.test(line))) return 'password';
  if (prompts.user.some((p) => p.test(line))) return 'user';
  if (prompts.shell.some((p) => p.test(line))) return 'shell';
  return 'unknown';
}

/** Whether `line` (already rendered) is a shell prompt. */
export function isShellPrompt(line: string, prompts: TelnetPrompts): boolean {
  return line.trim() !== '' && line.length <= MAX_PROMPT && prompts.shell.some((p) => p.test(line));
}

/** Global copies of the failure patterns, made once per observer (exec with lastIndex needs 'g'). */
export function globalPatterns(patterns: readonly RegExp[]): readonly RegExp[] {
  return patterns.map((p) => new RegExp(p.source, p.flags.includes('g') ? p.flags : `${p.flags}g`));
}

/**
 * The end index of the earliest-ending failure match in `text` that ends after `from` (the part
 * before `from` was searched with the previous chunk), or -1.
 */
export function findFailure(text: string, from: number, failure: readonly RegExp[]): number {
  let best = -1;
  for (const pattern of failure) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const end = match.index + match[0].length;
      if (match[0].length === 0) pattern.lastIndex++;
      if (end > from) {
        if (best < 0 || end < best) best = end;
        break;
      }
    }
  }
  return best;
}
