// BusyBox usage and error output shared by the applets: the persona's build line heads every usage
// text, so the same applet shows the device's own version.
import type { CommandContext } from '../command.ts';
import { type Errno, VfsError, errnoText } from '../vfs/vfs.ts';

export function usageText(ctx: CommandContext, usage: string): string {
  return `${ctx.persona.busybox.buildLine}\n\nUsage: ${usage}\n`;
}

/** Bad or missing arguments: usage on stderr, status 1 (as bb_show_usage). */
export function showUsage(ctx: CommandContext, usage: string): number {
  ctx.stderr.write(usageText(ctx, usage));
  return 1;
}

/** `--help` as the only argument: usage on stderr, status 0. */
export function wantsHelp(ctx: CommandContext): boolean {
  return ctx.argv.length === 2 && ctx.argv[1] === '--help';
}

/** An option error (`rm: invalid option -- 'z'`) followed by the usage. */
export function optionError(ctx: CommandContext, applet: string, message: string, usage: string): number {
  ctx.stderr.write(`${applet}: ${message}\n`);
  return showUsage(ctx, usage);
}

/** The errno of a VFS failure; anything else is a bug in hachi and is rethrown. */
export function errnoOf(error: unknown): Errno {
  if (error instanceof VfsError) return error.errno;
  throw error;
}

export function errorText(error: unknown): string {
  return errnoText[errnoOf(error)];
}

/** The applet name as BusyBox prints it: the basename of argv[0]. */
export function appletName(ctx: CommandContext): string {
  const name = ctx.argv[0] ?? '';
  return name.slice(name.lastIndexOf('/') + 1);
}

/** `applet --help`: usage on stderr, status 0. */
export function showHelp(ctx: CommandContext, usage: string): number {
  ctx.stderr.write(usageText(ctx, usage));
  return 0;
}
