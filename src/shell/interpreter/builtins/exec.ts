// `exec`, `hash` and `jobs`. exec with a command runs it and then ends the shell, as the real
// process replacement would; exec with only redirections is applied by runSimple to the shell.
import type { BuiltinContext } from '../executor.ts';
import { ExitSignal } from '../runtime.ts';

/** `exec sh` at the terminal: the new shell would read the same terminal, so this one carries on. */
const SHELLS = /^(-?(a?sh|bash|hush))$/;

export async function exec(ctx: BuiltinContext): Promise<number> {
  const args = ctx.argv.slice(1);
  if (args[0] === '--') args.shift();
  const name = args[0];
  if (name === undefined) return 0;
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (args.length === 1 && SHELLS.test(base) && ctx.stdin.terminal) return 0;
  if (ctx.exec.describe(ctx.shell, name).kind === 'none') {
    ctx.error(`${name}: not found`);
    ctx.shell.env.events.emit('command.unknown', { command: name, line: ctx.shell.env.line });
    throw new ExitSignal(127);
  }
  const status = await ctx.exec.runArgv(ctx.shell, args, ctx.fds);
  throw new ExitSignal(status);
}

/** BusyBox ash keeps no visible hash table worth showing: `hash` prints nothing and succeeds. */
export const hash = (): number => 0;

/** Background jobs run to completion at once in hachi, so there is never a job to list. */
export const jobs = (): number => 0;
