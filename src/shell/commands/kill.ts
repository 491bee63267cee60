// kill, killall, pkill: bots kill rival malware and watchdogs. Nothing runs, so nothing dies:
// names and pids of the persona's processes "succeed", anything else fails as on the device.
import type { Command, CommandContext } from '../command.ts';
import { appletName } from './usage.ts';

/** Drops `-9`, `-KILL`, `-s SIG`, `-n N` style signal options; returns the rest. */
function withoutSignal(args: readonly string[]): string[] {
  const rest = [...args];
  while (rest.length > 0 && /^-/.test(rest[0] ?? '') && rest[0] !== '--') {
    const option = rest.shift() ?? '';
    if (option === '-s' || option === '-n') rest.shift();
  }
  if (rest[0] === '--') rest.shift();
  return rest;
}

const baseName = (command: string): string => {
  const first = command.replace(/^\[|\]$/g, '').split(' ')[0] ?? '';
  return first.slice(first.lastIndexOf('/') + 1);
};

export const kill: Command = (ctx) => {
  if (ctx.argv[1] === '-l') {
    ctx.stdout.write(' 1) HUP\n 2) INT\n 3) QUIT\n 4) ILL\n 5) TRAP\n 6) ABRT\n 7) BUS\n 8) FPE\n 9) KILL\n10) USR1\n11) SEGV\n12) USR2\n13) PIPE\n14) ALRM\n15) TERM\n');
    return 0;
  }
  const targets = withoutSignal(ctx.argv.slice(1));
  if (targets.length === 0) {
    ctx.stderr.write('kill: you need to specify whom to kill\n');
    return 1;
  }
  let status = 0;
  for (const target of targets) {
    if (!/^-?\d+$/.test(target)) {
      ctx.stderr.write(`kill: invalid number '${target}'\n`);
      return 1;
    }
    if (!ctx.persona.processes.some((p) => p.pid === Number(target)) && Number(target) > 0) {
      ctx.stderr.write(`kill: can't kill pid ${target}: No such process\n`);
      status = 1;
    }
  }
  return status;
};

function matchByName(ctx: CommandContext, pattern: string, fullCommand: boolean): boolean {
  if (!fullCommand) return ctx.persona.processes.some((p) => baseName(p.command) === pattern);
  return ctx.persona.processes.some((p) => p.command.includes(pattern));
}

export const killall: Command = (ctx) => {
  const names = withoutSignal(ctx.argv.slice(1)).filter((arg) => !arg.startsWith('-'));
  if (names.length === 0) {
    ctx.stderr.write('killall: you need to specify whom to kill\n');
    return 1;
  }
  let status = 0;
  for (const name of names) {
    if (!matchByName(ctx, name, false)) {
      if (!ctx.argv.includes('-q')) ctx.stderr.write(`killall: ${name}: no process killed\n`);
      status = 1;
    }
  }
  return status;
};

/** pkill is procps-style: silent, status 1 when nothing matched. */
export const pkill: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  const full = args.includes('-f');
  const patterns = withoutSignal(args.filter((arg) => arg !== '-f')).filter((arg) => !arg.startsWith('-'));
  if (patterns.length === 0) {
    ctx.stderr.write(`${appletName(ctx)}: no process selection criteria\n`);
    return 2;
  }
  return patterns.some((p) => matchByName(ctx, p, full) || ctx.persona.processes.some((proc) => baseName(proc.command).includes(p))) ? 0 : 1;
};
