// The registry of emulated applets: name as typed → implementation. Router CLI words (`enable`,
// `system`, `shell`, `linuxshell`) are deliberately absent: on a BusyBox device they are unknown
// commands (`-sh: enable: not found`), which is what bots expect to see before typing `sh`.
import type { Command } from '../command.ts';
import { appletFallback } from './applet-fallback.ts';
import { busybox } from './busybox.ts';
import { cat } from './cat.ts';
import { chmod } from './chmod.ts';
import { cp } from './cp.ts';
import { crontab } from './crontab.ts';
import { curl } from './curl.ts';
import { cut } from './cut.ts';
import { dd } from './dd.ts';
import { echo } from './echo.ts';
import { env } from './env.ts';
import { ftpget } from './ftpget.ts';
import { grep } from './grep.ts';
import { head } from './head.ts';
import { hostname, id, uname, whoami } from './identity.ts';
import { ifconfig } from './ifconfig.ts';
import { ip } from './ip.ts';
import { iptables } from './iptables.ts';
import { kill, killall, pkill } from './kill.ts';
import { ln } from './ln.ts';
import { ls } from './ls.ts';
import { mkdir } from './mkdir.ts';
import { mv } from './mv.ts';
import { nc } from './nc.ts';
import { netstat } from './netstat.ts';
import { passwd } from './passwd.ts';
import { printf } from './printf.ts';
import { ps } from './ps.ts';
import { pwd } from './pwd.ts';
import { reboot } from './reboot.ts';
import { rm } from './rm.ts';
import { route } from './route.ts';
import { sed } from './sed.ts';
import { sh } from './sh.ts';
import { sleep } from './sleep.ts';
import { df, free, mount, nproc, uptime } from './sysinfo.ts';
import { tail } from './tail.ts';
import { tftp } from './tftp.ts';
import { touch } from './touch.ts';
import { tr } from './tr.ts';
import { test } from './test.ts';
import { wc } from './wc.ts';
import { wget } from './wget.ts';
import { which } from './which.ts';

export const commands = {
  '[': test,
  __applet_fallback__: appletFallback,
  ash: sh,
  busybox,
  cat,
  chmod,
  cp,
  crontab,
  curl,
  cut,
  dd,
  df,
  echo,
  egrep: grep,
  env,
  free,
  ftpget,
  grep,
  halt: reboot,
  head,
  hostname,
  id,
  ifconfig,
  ip,
  iptables,
  kill,
  killall,
  ln,
  ls,
  mkdir,
  mount,
  mv,
  nc,
  netstat,
  nproc,
  passwd,
  pkill,
  poweroff: reboot,
  printf,
  ps,
  pwd,
  reboot,
  rm,
  route,
  sed,
  sh,
  sleep,
  tail,
  test,
  tftp,
  touch,
  tr,
  uname,
  uptime,
  wc,
  wget,
  which,
  whoami,
} satisfies Record<string, Command>;

export type CommandName = keyof typeof commands;
