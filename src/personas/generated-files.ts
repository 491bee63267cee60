// Files derived from persona.yaml rather than stored in fs/, so they cannot drift from the data:
// /bin/busybox (ELF), applet links, /proc/version, /proc/uptime, /proc/loadavg, /proc/sys/kernel/*, /etc/hostname.
import { buildElfImage } from './elf-image.ts';
import type { PackYaml } from './schema.ts';

export const APPLET_DIRS = ['/bin', '/sbin', '/usr/bin', '/usr/sbin'] as const;

/** Where `make install` points each directory's links (relative, as BusyBox installs them). */
const LINK_TARGETS: Readonly<Record<(typeof APPLET_DIRS)[number], string>> = {
  '/bin': 'busybox',
  '/sbin': '../bin/busybox',
  '/usr/bin': '../../bin/busybox',
  '/usr/sbin': '../../bin/busybox',
};

/** BusyBox's banner as compiled in: "BusyBox v1.20.2 (2016-07-08 13:46:15 CST)". */
function busyboxBanner(pack: PackYaml): string {
  return `BusyBox v${pack.busybox.version} (${pack.busybox.built})`;
}

/** First line of `busybox` and of applet usage: the banner plus " multi-call binary.". */
export function busyboxBuildLine(pack: PackYaml): string {
  return `${busyboxBanner(pack)} multi-call binary.`;
}

export function procVersion(pack: PackYaml): string {
  const k = pack.kernel;
  return `Linux version ${k.release} (${k.builder}) (${k.compiler}) ${k.version}\n`;
}

/** Every applet with the absolute path of its link, in the order the YAML lists them. */
export function appletLinks(pack: PackYaml): { applet: string; path: string; target: string }[] {
  return APPLET_DIRS.flatMap((dir) =>
    pack.busybox.applets[dir].map((applet) => ({ applet, path: `${dir}/${applet}`, target: LINK_TARGETS[dir] })),
  );
}

/** Text files derived from the YAML, path to content. */
export function derivedTextFiles(pack: PackYaml): Map<string, string> {
  return new Map([
    ['/etc/hostname', `${pack.hostname}\n`],
    ['/proc/version', procVersion(pack)],
    ['/proc/sys/kernel/hostname', `${pack.hostname}\n`],
    ['/proc/sys/kernel/osrelease', `${pack.kernel.release}\n`],
    ['/proc/sys/kernel/ostype', 'Linux\n'],
    ['/proc/sys/kernel/version', `${pack.kernel.version}\n`],
    // Placeholders so `ls /proc` lists them; the shell's VFS serves them live (shell/vfs/live-proc.ts).
    ['/proc/uptime', `${pack.uptimeSeconds}.00 ${pack.uptimeSeconds}.00\n`],
    ['/proc/loadavg', '0.08 0.05 0.01 1/64 1000\n'],
  ]);
}

export function busyboxBinary(pack: PackYaml, id: string): Uint8Array {
  const applets = appletLinks(pack).map((l) => l.applet).sort();
  const banner = busyboxBanner(pack);
  return buildElfImage({
    elf: pack.arch.elf,
    size: pack.busybox.binarySize,
    seed: `${id}/${banner}`,
    strings: [
      banner,
      busyboxBuildLine(pack),
      `${banner} built-in shell (ash)`,
      'BusyBox is copyrighted by many authors between 1998-2012.',
      'Licensed under GPLv2. See source distribution for detailed',
      'copyright notices.',
      'Usage: busybox [function [arguments]...]',
      '   or: busybox --list[-full]',
      '   or: function [arguments]...',
      'Currently defined functions:',
      '%s: applet not found',
      "Enter 'help' for a list of built-in commands.",
      '/bin/sh',
      '/etc/passwd',
      '/etc/shadow',
      '/proc/mounts',
      ...applets,
    ],
  });
}
