// busybox: with no arguments the banner and applet list of the persona's build; `busybox APPLET`
// runs the applet when the device has it, else `APPLET: applet not found` (what bots probe).
import type { Command, CommandContext } from '../command.ts';

/** The banner text changed in BusyBox 1.24; devices run both generations. */
function banner(ctx: CommandContext): string {
  const [major = 1, minor = 0] = ctx.persona.busybox.version.split('.').map(Number);
  const modern = major > 1 || minor >= 24;
  const copyright = modern
    ? 'BusyBox is copyrighted by many authors between 1998-2015.\nLicensed under GPLv2. See source distribution for detailed\ncopyright notices.\n'
    : 'Copyright (C) 1998-2011 Erik Andersen, Rob Landley, Denys Vlasenko\nand others. Licensed under GPLv2.\nSee source distribution for full notice.\n';
  const usage = modern ? 'Usage: busybox [function [arguments]...]\n' : 'Usage: busybox [function] [arguments]...\n';
  return `${ctx.persona.busybox.buildLine}\n${copyright}\n${usage}   or: busybox --list[-full]\n   or: busybox --install [-s] [DIR]\n   or: function [arguments]...\n\n\tBusyBox is a multi-call binary that combines many common Unix\n\tutilities into a single executable.  Most people will create a\n\tlink to busybox for each function they wish to use and BusyBox\n\twill act like whatever it was invoked as.\n\n`;
}

/** The applet list wrapped as BusyBox does (checked against Debian's busybox: a limit of 79). */
export function appletColumns(applets: readonly string[], width = 79): string {
  let out = '';
  let col = 0;
  for (const name of applets) {
    const len = name.length + 2;
    if (col >= width - len) {
      out += ',\n';
      col = 0;
    }
    if (col === 0) {
      out += '\t';
      col = 6;
    } else out += ', ';
    out += name;
    col += len;
  }
  return `${out}\n`;
}

export const busybox: Command = (ctx) => {
  // The persona loader keeps applets sorted as `busybox --list` prints them.
  const applets = ctx.persona.busybox.applets;
  const applet = ctx.argv[1];
  if (applet === undefined || applet === '--help') {
    ctx.stdout.write(`${banner(ctx)}Currently defined functions:\n${appletColumns(applets)}`);
    return 0;
  }
  if (applet === '--list' || applet === '--list-full') {
    ctx.stdout.write(applets.map((name) => (applet === '--list' ? name : `bin/${name}`)).join('\n') + '\n');
    return 0;
  }
  if (!applets.includes(applet)) {
    ctx.stderr.write(`${applet}: applet not found\n`);
    return 127;
  }
  return ctx.runCommand(ctx.argv.slice(1));
};
