// sleep N[smhd]...: validated like BusyBox, but waits at most a moment: a bot's `sleep 60` must not
// hold a session (and its memory) for a minute.
import type { Command } from '../command.ts';
import { showUsage } from './usage.ts';

const usage = `sleep [N]...

Pause for a time equal to the total of the args given, where each arg can
have an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays`;

/** Longest real wait, in ms. */
const maxRealWaitMs = 50;
const unitSeconds: Readonly<Record<string, number>> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

export const sleep: Command = async (ctx) => {
  const args = ctx.argv.slice(1);
  if (args.length === 0) return showUsage(ctx, usage);
  let seconds = 0;
  for (const arg of args) {
    const match = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
    if (!match) {
      ctx.stderr.write(`sleep: invalid number '${arg}'\n`);
      return 1;
    }
    seconds += Number(match[1]) * (unitSeconds[match[2] ?? ''] ?? 1);
  }
  const wait = Math.min(seconds * 1000, maxRealWaitMs);
  if (wait > 0) await new Promise<void>((resolve) => setTimeout(resolve, wait));
  return 0;
};
