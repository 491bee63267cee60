// uname, id, whoami, hostname: the device's identity from the persona and its /etc/passwd.
import type { Command } from '../command.ts';
import { parseOptions } from './getopt.ts';
import { idNames } from './ls-format.ts';
import { optionError } from './usage.ts';

const unameUsage = `uname [-amnrspvio]

Print system information

\t-a\tPrint all
\t-m\tMachine (hardware) type
\t-n\tHostname
\t-r\tKernel release
\t-s\tKernel name (default)
\t-p\tProcessor type
\t-v\tKernel version
\t-i\tHardware platform
\t-o\tOS name`;

export const uname: Command = (ctx) => {
  const parsed = parseOptions(ctx.argv.slice(1), 'amnrspvio');
  if (!parsed.ok) return optionError(ctx, 'uname', parsed.message, unameUsage);
  const { flags } = parsed.options;
  const all = flags.has('a');
  const p = ctx.persona;
  const fields: [string, string][] = [
    ['s', 'Linux'], ['n', p.hostname], ['r', p.kernel.release], ['v', p.kernel.version], ['m', p.arch.uname], ['p', 'unknown'], ['i', 'unknown'], ['o', 'GNU/Linux'],
  ];
  const chosen = fields.filter(([flag, value]) => (all ? value !== 'unknown' : flags.has(flag))).map(([, value]) => value);
  ctx.stdout.write(`${(chosen.length > 0 ? chosen : ['Linux']).join(' ')}\n`);
  return 0;
};

export const id: Command = (ctx) => {
  const { users, groups } = idNames(ctx);
  const target = ctx.argv.slice(1).find((arg) => !arg.startsWith('-'));
  let uid = ctx.state.uid;
  if (target !== undefined) {
    const found = [...users].find(([, name]) => name === target);
    if (!found) {
      ctx.stderr.write(`id: unknown user ${target}\n`);
      return 1;
    }
    uid = found[0];
  }
  const name = users.get(uid) ?? ctx.state.user;
  const gid = uid;
  const flag = ctx.argv.find((arg) => /^-[ugn]+$/.test(arg)) ?? '';
  if (flag.includes('u')) ctx.stdout.write(`${flag.includes('n') ? name : uid}\n`);
  else if (flag.includes('g')) ctx.stdout.write(`${flag.includes('n') ? (groups.get(gid) ?? gid) : gid}\n`);
  else ctx.stdout.write(`uid=${uid}(${name}) gid=${gid}(${groups.get(gid) ?? name})\n`);
  return 0;
};

export const whoami: Command = (ctx) => {
  ctx.stdout.write(`${idNames(ctx).users.get(ctx.state.uid) ?? ctx.state.user}\n`);
  return 0;
};

/** `hostname NAME` is accepted and ignored: the persona's name is fixed. */
export const hostname: Command = (ctx) => {
  if (ctx.argv.length === 1 || ctx.argv[1] === '-s') ctx.stdout.write(`${ctx.persona.hostname}\n`);
  return 0;
};
