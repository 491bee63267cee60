// Applets the persona lists but hachi does not emulate: they print nothing and succeed, except
// `--help`, which shows a generic BusyBox usage so the applet looks present.
import type { Command } from '../command.ts';
import { appletName, usageText } from './usage.ts';

export const appletFallback: Command = (ctx) => {
  if (ctx.argv[1] === '--help') {
    ctx.stderr.write(usageText(ctx, `${appletName(ctx)} [OPTIONS] [ARGS]...`));
  }
  return 0;
};
