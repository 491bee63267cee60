// free, df, mount, nproc, uptime: figures from the persona's /proc files and uptime, in BusyBox's
// layouts (free switched to the procps-style columns in BusyBox 1.24 releases and later).
import type { Command, CommandContext } from '../command.ts';
import { meminfo, mounts, readProc } from './proc-files.ts';
import { loadAverages } from '../vfs/live-proc.ts';

function isModern(ctx: CommandContext): boolean {
  const [major = 1, minor = 0] = ctx.persona.busybox.version.split('.').map(Number);
  return major > 1 || minor >= 24;
}

export const free: Command = (ctx) => {
  const mem = meminfo(ctx);
  const unit = ctx.argv.includes('-m') ? 1024 : ctx.argv.includes('-g') ? 1024 * 1024 : ctx.argv.includes('-b') ? 1 / 1024 : 1;
  const v = (key: string): number => mem.get(key) ?? 0;
  const n = (kb: number): string => String(Math.floor(kb / unit));
  const total = v('MemTotal');
  const freeKb = v('MemFree');
  const buffers = v('Buffers');
  const cached = v('Cached');
  if (isModern(ctx)) {
    const used = total - freeKb - buffers - cached;
    const row = (label: string, values: number[]): string => label + values.map((x) => n(x).padStart(12)).join('');
    ctx.stdout.write(
      `              total        used        free      shared  buff/cache   available\n${row('Mem:   ', [total, used, freeKb, v('Shmem'), buffers + cached, mem.get('MemAvailable') ?? freeKb])}\n${row('Swap:  ', [v('SwapTotal'), v('SwapTotal') - v('SwapFree'), v('SwapFree')])}\n`,
    );
    return 0;
  }
  // BusyBox before 1.24: printf("%6s%13lu...") rows and a -/+ buffers line.
  const cols = (values: number[]): string => values.map((x) => n(x).padStart(13)).join('');
  ctx.stdout.write(
    `${' '.repeat(6)}${['total', 'used', 'free', 'shared', 'buffers'].map((h) => h.padStart(13)).join('')}\n` +
      `${'Mem:'.padStart(6)}${cols([total, total - freeKb, freeKb, v('Shmem'), buffers])}\n` +
      `${' -/+ buffers:'}${n(total - freeKb - buffers).padStart(19)}${n(freeKb + buffers).padStart(13)}\n` +
      `${'Swap:'.padStart(6)}${cols([v('SwapTotal'), v('SwapTotal') - v('SwapFree'), v('SwapFree')])}\n`,
  );
  return 0;
};

const virtualTypes = new Set(['proc', 'sysfs', 'devpts', 'rootfs', 'debugfs', 'usbfs', 'cgroup', 'securityfs', 'configfs', 'pstore', 'tracefs']);

export const df: Command = (ctx) => {
  const memTotal = meminfo(ctx).get('MemTotal') ?? 65536;
  const lines = ['Filesystem           1K-blocks      Used Available Use% Mounted on'];
  for (const m of mounts(ctx)) {
    if (virtualTypes.has(m.type)) continue;
    // The persona does not give sizes: read-only images are full, RAM disks follow MemTotal.
    const blocks = m.type === 'tmpfs' || m.type === 'ramfs' ? Math.floor(memTotal / 2) : m.type === 'squashfs' || m.type === 'cramfs' ? 6144 : 8192;
    const used = m.type === 'squashfs' || m.type === 'cramfs' ? blocks : m.type === 'tmpfs' ? Math.min(blocks, 64) : Math.floor(blocks * 0.37);
    const available = blocks - used;
    const percent = blocks === 0 ? 0 : Math.ceil((used * 100) / blocks);
    const name = m.device.length > 20 ? `${m.device}\n${' '.repeat(20)}` : m.device.padEnd(20);
    lines.push(`${name} ${String(blocks).padStart(9)} ${String(used).padStart(9)} ${String(available).padStart(9)} ${`${percent}%`.padStart(4)} ${m.dir}`);
  }
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return 0;
};

export const mount: Command = (ctx) => {
  if (ctx.argv.length > 1 && !ctx.argv.slice(1).every((a) => a === '-l')) {
    // Mounting needs real devices: fail as an unprivileged device mount would.
    ctx.stderr.write(`mount: mounting ${ctx.argv[ctx.argv.length - 2] ?? ''} on ${ctx.argv[ctx.argv.length - 1] ?? ''} failed: No such file or directory\n`);
    return 255;
  }
  ctx.stdout.write(mounts(ctx).map((m) => `${m.device} on ${m.dir} type ${m.type} (${m.options})\n`).join(''));
  return 0;
};

export const nproc: Command = (ctx) => {
  const count = readProc(ctx, '/proc/cpuinfo').split('\n').filter((line) => /^processor\s*:/.test(line)).length;
  ctx.stdout.write(`${Math.max(1, count)}\n`);
  return 0;
};

/** Seconds since the emulated device booted. */
export function uptimeSeconds(ctx: CommandContext): number {
  return Math.max(0, Math.floor((ctx.clock.now() - ctx.bootedAt) / 1000));
}

export const uptime: Command = (ctx) => {
  const now = new Date(ctx.clock.now());
  const up = uptimeSeconds(ctx);
  const pad2 = (x: number): string => String(x).padStart(2, '0');
  const days = Math.floor(up / 86400);
  const minutesTotal = Math.floor(up / 60);
  const hours = Math.floor(minutesTotal / 60) % 24;
  const minutes = minutesTotal % 60;
  let text = ` ${pad2(now.getUTCHours())}:${pad2(now.getUTCMinutes())}:${pad2(now.getUTCSeconds())} up `;
  if (days > 0) text += `${days} day${days === 1 ? '' : 's'}, `;
  text += hours > 0 ? `${String(hours).padStart(2)}:${pad2(minutes)}` : `${minutes} min`;
  // Load follows the clock a little so two calls do not print identical figures.
  // The same figures /proc/loadavg shows at this moment.
  const [one, five, fifteen] = loadAverages(ctx.clock.now()).map((x) => x.toFixed(2));
  ctx.stdout.write(`${text},  load average: ${one}, ${five}, ${fifteen}\n`);
  return 0;
};
