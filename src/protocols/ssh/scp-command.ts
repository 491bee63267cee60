// Reads the remote half of an scp command line (`scp -t -- /tmp/`, `scp -r -f dir`) that the
// attacker's scp client runs on the device over exec. Words only: nothing is executed.

export interface ScpCommand {
  readonly mode: 'sink' | 'source';
  readonly recursive: boolean;
  /** -d: the target must be a directory. */
  readonly directory: boolean;
  /** -p: send times (T lines). */
  readonly preserve: boolean;
  readonly paths: readonly string[];
}

/** Command words, with '...' and "..." quoting and backslash escapes as the client's shell would see them. */
function words(command: string): string[] | null {
  const out: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (quote !== null) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < command.length) word += command[++i]!;
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word ??= '';
    } else if (ch === '\\' && i + 1 < command.length) {
      word = (word ?? '') + command[++i]!;
    } else if (/\s/.test(ch)) {
      if (word !== null) out.push(word);
      word = null;
    } else word = (word ?? '') + ch;
  }
  if (quote !== null) return null;
  if (word !== null) out.push(word);
  return out;
}

/** The scp server request in `command`, or null when it is not an `scp -t` / `scp -f` command. */
export function parseScpCommand(command: string): ScpCommand | null {
  if (command.length > 8192) return null;
  const argv = words(command);
  if (!argv || argv.length === 0 || !/^(?:.*\/)?scp$/.test(argv[0]!)) return null;
  let sink = false;
  let source = false;
  let recursive = false;
  let directory = false;
  let preserve = false;
  let i = 1;
  for (; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      i++;
      break;
    }
    if (!word.startsWith('-') || word === '-') break;
    for (const flag of word.slice(1)) {
      if (flag === 't') sink = true;
      else if (flag === 'f') source = true;
      else if (flag === 'r') recursive = true;
      else if (flag === 'd') directory = true;
      else if (flag === 'p') preserve = true;
      // -v, -q, -E and the rest change nothing the device would show.
    }
  }
  const paths = argv.slice(i);
  if (sink === source || paths.length === 0) return null;
  return { mode: sink ? 'sink' : 'source', recursive, directory, preserve, paths };
}
