// Short-option parsing as BusyBox's getopt32 does it on glibc/uClibc: clustered flags (`-rf`),
// option values attached or separate (`-n5`, `-n 5`), options anywhere before `--`.

export interface ParsedOptions {
  /** How many times each flag letter was given. */
  readonly flags: ReadonlyMap<string, number>;
  /** Last value of each option that takes one. */
  readonly values: ReadonlyMap<string, string>;
  readonly operands: string[];
}

export type ParseResult = { readonly ok: true; readonly options: ParsedOptions } | { readonly ok: false; readonly message: string };

/** `spec` lists accepted letters; a letter followed by `:` takes a value. */
export function parseOptions(args: readonly string[], spec: string): ParseResult {
  const flags = new Map<string, number>();
  const values = new Map<string, string>();
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) return { ok: false, message: `unrecognized option '${arg}'` };
    if (!arg.startsWith('-') || arg === '-') {
      operands.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j] ?? '';
      const at = spec.indexOf(letter);
      if (at < 0 || letter === ':') return { ok: false, message: `invalid option -- '${letter}'` };
      if (spec[at + 1] === ':') {
        const rest = arg.slice(j + 1);
        const value = rest !== '' ? rest : args[++i];
        if (value === undefined) return { ok: false, message: `option requires an argument -- '${letter}'` };
        values.set(letter, value);
        flags.set(letter, (flags.get(letter) ?? 0) + 1);
        break;
      }
      flags.set(letter, (flags.get(letter) ?? 0) + 1);
    }
  }
  return { ok: true, options: { flags, values, operands } };
}
