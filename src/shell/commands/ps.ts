// ps: the persona's process list in BusyBox's embedded format (PID USER VSZ STAT COMMAND).
import type { Command } from '../command.ts';

/** BusyBox's smart_ulltoa5: five columns, switching to an m suffix for large sizes. */
function vszColumn(vsz: number): string {
  if (vsz < 100000) return String(vsz).padStart(5);
  return `${Math.round(vsz / 1024)}m`.padStart(5);
}

export const ps: Command = (ctx) => {
  const rows = ctx.persona.processes.map((p) => `${String(p.pid).padStart(5)} ${p.user.padEnd(8).slice(0, 8)} ${vszColumn(p.vsz)} ${p.stat.padEnd(4)} ${p.command}`);
  ctx.stdout.write(`  PID USER       VSZ STAT COMMAND\n${rows.map((r) => `${r}\n`).join('')}`);
  return 0;
};
