// env: prints the exported variables; `env [NAME=VALUE]... COMMAND` runs the command.
import type { Command } from '../command.ts';

export const env: Command = async (ctx) => {
  const args = ctx.argv.slice(1).filter((arg) => arg !== '-i' && arg !== '-');
  const assignments = [];
  while (args.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[0] ?? '')) assignments.push(args.shift() ?? '');
  if (args.length > 0) return ctx.runCommand(args);
  const lines = [...ctx.state.exported].filter((name) => ctx.state.vars.has(name)).map((name) => `${name}=${ctx.state.vars.get(name) ?? ''}`);
  lines.push(...assignments);
  if (lines.length > 0) ctx.stdout.write(`${lines.join('\n')}\n`);
  return 0;
};
