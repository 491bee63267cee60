// crontab [-u USER] [-l|-r|-e|FILE|-]: persistence attempts land as files under
// /var/spool/cron/crontabs/<user> in the session VFS, so they are captured like any drop.
import type { Command } from '../command.ts';
import { absolute } from './file-ops.ts';
import { parseOptions } from './getopt.ts';
import { errorText, optionError } from './usage.ts';

const usage = `crontab [-c DIR] [-u USER] [-ler]|[FILE]

\t-c\tCrontab directory
\t-u\tUser
\t-l\tList crontab
\t-e\tEdit crontab
\t-r\tDelete crontab
\tFILE\tReplace crontab by FILE ('-': stdin)`;

export const crontab: Command = (ctx) => {
  const parsed = parseOptions(ctx.argv.slice(1), 'c:u:ler');
  if (!parsed.ok) return optionError(ctx, 'crontab', parsed.message, usage);
  const { flags, values, operands } = parsed.options;
  const user = values.get('u') ?? ctx.state.user;
  const dir = values.get('c') ?? '/var/spool/cron/crontabs';
  const path = `${dir.replace(/\/+$/, '')}/${user}`;
  if (flags.has('l')) {
    if (ctx.fs.stat(dir)?.kind !== 'dir') {
      ctx.stderr.write(`crontab: can't change directory to '${dir}': No such file or directory\n`);
      return 1;
    }
    const node = ctx.fs.stat(path);
    if (node?.kind !== 'file') {
      ctx.stderr.write(`crontab: can't open '${user}': No such file or directory\n`);
      return 1;
    }
    ctx.stdout.write(node.data);
    return 0;
  }
  if (flags.has('r')) {
    if (ctx.fs.stat(path) === null) {
      ctx.stderr.write(`crontab: can't delete '${user}': No such file or directory\n`);
      return 1;
    }
    ctx.fs.unlink(path);
    return 0;
  }
  // -e would open vi on the device's terminal; with no editor session here it changes nothing.
  if (flags.has('e')) return 0;
  const source = operands[0] ?? '-';
  let data: Uint8Array;
  try {
    data = source === '-' ? ctx.stdin : ctx.fs.readFile(absolute(ctx, source));
  } catch (error) {
    ctx.stderr.write(`crontab: can't open '${source}': ${errorText(error)}\n`);
    return 1;
  }
  try {
    ctx.fs.mkdir(dir, { parents: true });
    ctx.fs.writeFile(path, data, { mode: 0o600 });
  } catch (error) {
    ctx.stderr.write(`crontab: ${path}: ${errorText(error)}\n`);
    return 1;
  }
  return 0;
};
