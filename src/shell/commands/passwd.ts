// passwd [USER]: non-interactive. Two matching lines on stdin "change" the password (nothing is
// stored: the accepted credentials stay the persona's); otherwise BusyBox's refusal.
import type { Command } from '../command.ts';
import { bytesToText } from './input.ts';

export const passwd: Command = (ctx) => {
  const user = ctx.argv.slice(1).find((arg) => !arg.startsWith('-')) ?? ctx.state.user;
  const lines = bytesToText(ctx.stdin).split(/\r?\n/);
  ctx.stdout.write(`Changing password for ${user}\nNew password: `);
  const [first, second] = lines;
  if (first === undefined || first === '') {
    ctx.stdout.write('\n');
    ctx.stderr.write(`passwd: password for ${user} is unchanged\n`);
    return 1;
  }
  ctx.stdout.write('\nRetype password: ');
  if (second !== first) {
    ctx.stdout.write('\n');
    ctx.stderr.write(`passwd: password for ${user} is unchanged\n`);
    return 1;
  }
  ctx.stdout.write(`\npasswd: password for ${user} changed by ${ctx.state.user}\n`);
  return 0;
};
