// pwd: the shell's current directory.
import type { Command } from '../command.ts';

export const pwd: Command = (ctx) => {
  ctx.stdout.write(`${ctx.state.cwd}\n`);
  return 0;
};
