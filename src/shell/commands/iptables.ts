// iptables: bots close port 23 behind them; the rule is accepted silently and changes nothing
// (the command line is already recorded as command.input).
import type { Command } from '../command.ts';

export const iptables: Command = (ctx) => {
  if (ctx.argv.includes('-L') || ctx.argv.includes('--list')) {
    ctx.stdout.write('Chain INPUT (policy ACCEPT)\ntarget     prot opt source               destination         \n\nChain FORWARD (policy ACCEPT)\ntarget     prot opt source               destination         \n\nChain OUTPUT (policy ACCEPT)\ntarget     prot opt source               destination         \n');
  }
  return 0;
};
