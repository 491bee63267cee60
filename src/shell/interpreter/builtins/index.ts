// The shell's own builtins (those ash implements itself), by name. Commands such as echo or
// printf come from the command registry instead, found without a PATH lookup.
import type { BuiltinEntry } from '../executor.ts';
import { cd } from './cd.ts';
import { exec, hash, jobs } from './exec.ts';
import { getopts } from './getopts.ts';
import { breakBuiltin, continueBuiltin, exit, returnBuiltin } from './flow.ts';
import { alias, falseBuiltin, trap, trueBuiltin, ulimit, umask, unalias, wait } from './misc.ts';
import { read } from './read.ts';
import { command, dot, evalBuiltin, type } from './sourcing.ts';
import { exportBuiltin, local, set, shift, unset } from './variables.ts';

const special = (run: BuiltinEntry['run']): BuiltinEntry => ({ run, special: true });
const regular = (run: BuiltinEntry['run']): BuiltinEntry => ({ run, special: false });

export const builtins: Readonly<Record<string, BuiltinEntry>> = {
  '.': special(dot),
  ':': special(trueBuiltin),
  break: special(breakBuiltin),
  continue: special(continueBuiltin),
  eval: special(evalBuiltin),
  exec: special(exec),
  exit: special(exit),
  export: special(exportBuiltin),
  local: special(local),
  return: special(returnBuiltin),
  set: special(set),
  shift: special(shift),
  trap: special(trap),
  unset: special(unset),
  source: regular(dot),
  alias: regular(alias),
  cd: regular(cd),
  command: regular(command),
  false: regular(falseBuiltin),
  getopts: regular(getopts),
  hash: regular(hash),
  jobs: regular(jobs),
  read: regular(read),
  true: regular(trueBuiltin),
  type: regular(type),
  ulimit: regular(ulimit),
  umask: regular(umask),
  unalias: regular(unalias),
  wait: regular(wait),
};

/** Registry commands that ash has built in: found before PATH, reported as shell builtins. */
export const registryBuiltins: ReadonlySet<string> = new Set(['echo', 'printf', 'test', '[', '[[', 'kill', 'pwd']);

export function findBuiltin(name: string): BuiltinEntry | null {
  return Object.hasOwn(builtins, name) ? builtins[name]! : null;
}
