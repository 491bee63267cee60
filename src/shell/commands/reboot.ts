// reboot, poweroff, halt: silent, and the session ends after the line as the device would go down
// (the attacker's connection drops; the rest of the line still runs, like commands racing init).
import type { Command } from '../command.ts';

export const reboot: Command = (ctx) => {
  ctx.state.exitRequested = true;
  return 0;
};
