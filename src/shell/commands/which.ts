// which [-a] COMMAND...: searches $PATH in the VFS; the persona's applets count as /bin links.
import type { Command } from '../command.ts';
import { showUsage } from './usage.ts';
import { childPath } from '../vfs/vfs-path.ts';

const usage = `which [-a] COMMAND...

Locate COMMAND

\t-a\tShow all matches`;

export const which: Command = (ctx) => {
  const names = ctx.argv.slice(1).filter((arg) => arg !== '-a');
  if (names.length === 0) return showUsage(ctx, usage);
  const path = (ctx.state.vars.get('PATH') ?? '/bin:/sbin:/usr/bin:/usr/sbin').split(':').filter(Boolean);
  let status = 0;
  for (const name of names) {
    let found: string | null = null;
    if (name.includes('/')) found = ctx.fs.stat(ctx.fs.resolve(ctx.state.cwd, name))?.kind === 'file' ? name : null;
    else {
      for (const dir of path) {
        const candidate = childPath(dir, name);
        const node = ctx.fs.stat(candidate);
        if (node?.kind === 'file' && (node.mode & 0o111) !== 0) {
          found = candidate;
          break;
        }
      }
      if (found === null && ctx.persona.busybox.applets.includes(name)) found = `/bin/${name}`;
    }
    if (found === null) status = 1;
    else ctx.stdout.write(`${found}\n`);
  }
  return status;
};
