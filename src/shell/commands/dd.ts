// dd: block copy with BusyBox's operands and its three-line summary on stderr. Bots run
// `dd bs=52 count=1 if=/bin/echo` to read the ELF header and learn the CPU.
import type { Command, CommandContext } from '../command.ts';
import { absolute, captureIfDirty } from './file-ops.ts';
import { humanReadable } from './human-size.ts';
import { errnoOf, errorText, showUsage } from './usage.ts';

const usage = `dd [if=FILE] [of=FILE] [ibs=N obs=N/bs=N] [count=N] [skip=N] [seek=N]
\t[conv=notrunc|noerror|sync|fsync]
\t[iflag=skip_bytes|count_bytes|fullblock|direct] [oflag=seek_bytes|append|direct]

Copy a file with converting and formatting

\tif=FILE\t\tRead from FILE instead of stdin
\tof=FILE\t\tWrite to FILE instead of stdout
\tbs=N\t\tRead and write N bytes at a time
\tibs=N\t\tRead N bytes at a time
\tobs=N\t\tWrite N bytes at a time
\tcount=N\t\tCopy only N input blocks
\tskip=N\t\tSkip N input blocks
\tseek=N\t\tSkip N output blocks
\tconv=notrunc\tDon't truncate output file
\tstatus=noxfer\tSuppress rate output
\tstatus=none\tSuppress all output

N may be suffixed by c (1), w (2), b (512), kB (1000), k (1024), MB, M, GB, G`;

const suffixes: Readonly<Record<string, number>> = { '': 1, c: 1, w: 2, b: 512, kB: 1000, k: 1024, K: 1024, MB: 1e6, M: 1 << 20, GB: 1e9, G: 1 << 30 };

/** `52`, `1k`, `2x512`; null when invalid. */
function parseSize(text: string): number | null {
  let product = 1;
  for (const factor of text.split('x')) {
    const match = /^(\d+)([a-zA-Z]*)$/.exec(factor);
    const multiplier = match ? suffixes[match[2] ?? ''] : undefined;
    if (!match || multiplier === undefined) return null;
    product *= Number(match[1]) * multiplier;
  }
  return product;
}

const operandNames = new Set(['if', 'of', 'bs', 'ibs', 'obs', 'count', 'skip', 'seek', 'conv', 'iflag', 'oflag', 'status']);
const numeric = new Set(['bs', 'ibs', 'obs', 'count', 'skip', 'seek']);

function summary(ctx: CommandContext, inFull: number, inPart: number, outFull: number, outPart: number, bytes: number, status: string | undefined): void {
  if (status === 'none') return;
  let text = `${inFull}+${inPart} records in\n${outFull}+${outPart} records out\n`;
  if (status !== 'noxfer') {
    // Not a fixed figure: a constant dd time is one of the ways bots spot a honeypot.
    const seconds = 0.00004 + bytes / 25e6 + (ctx.clock.now() % 89) / 1e6;
    text += `${bytes} bytes (${humanReadable(bytes)}B) copied, ${seconds.toFixed(6)} seconds, ${humanReadable(bytes / seconds)}B/s\n`;
  }
  ctx.stderr.write(text);
}

export const dd: Command = (ctx) => {
  const ops = new Map<string, string>();
  const sizes = new Map<string, number>();
  for (const arg of ctx.argv.slice(1)) {
    const eq = arg.indexOf('=');
    const key = arg.slice(0, eq);
    if (eq < 0 || !operandNames.has(key)) return showUsage(ctx, usage);
    const value = arg.slice(eq + 1);
    ops.set(key, value);
    if (numeric.has(key)) {
      const size = parseSize(value);
      if (size === null) {
        ctx.stderr.write(`dd: invalid number '${value}'\n`);
        return 1;
      }
      sizes.set(key, size);
    }
  }
  const ibs = sizes.get('bs') ?? sizes.get('ibs') ?? 512;
  const obs = sizes.get('bs') ?? sizes.get('obs') ?? 512;
  const count = sizes.get('count');
  const inName = ops.get('if');
  const outName = ops.get('of');
  let input: Uint8Array = ctx.stdin;
  if (inName !== undefined) {
    const inPath = absolute(ctx, inName);
    const node = ctx.fs.stat(inPath);
    try {
      // /dev/zero is endless: make exactly what was asked, or one byte past the file limit.
      input = node?.kind === 'device' && node.device === 'zero' ? new Uint8Array(Math.min((count ?? Infinity) * ibs, ctx.limits.maxFileBytes + 1)) : ctx.fs.readFile(inPath);
    } catch (error) {
      ctx.stderr.write(`dd: can't open '${inName}': ${errorText(error)}\n`);
      return 1;
    }
  }
  const flags = `${ops.get('iflag') ?? ''},${ops.get('oflag') ?? ''},${ops.get('conv') ?? ''}`.split(',');
  const skip = (sizes.get('skip') ?? 0) * (flags.includes('skip_bytes') ? 1 : ibs);
  const wanted = count === undefined ? Infinity : count * (flags.includes('count_bytes') ? 1 : ibs);
  const data = input.subarray(Math.min(skip, input.length), Math.min(input.length, skip + wanted));
  const inFull = Math.floor(data.length / ibs);
  const inPart = data.length % ibs > 0 ? 1 : 0;
  const outFull = sizes.has('bs') ? inFull : Math.floor(data.length / obs);
  const outPart = sizes.has('bs') ? inPart : data.length % obs > 0 ? 1 : 0;
  if (outName === undefined) ctx.stdout.write(data);
  else {
    const outPath = absolute(ctx, outName);
    const seek = (sizes.get('seek') ?? 0) * (flags.includes('seek_bytes') ? 1 : obs);
    try {
      const existing = ctx.fs.stat(outPath);
      const old = existing?.kind === 'file' ? existing.data : new Uint8Array(0);
      if (flags.includes('append')) ctx.fs.writeFile(outPath, data, { append: true });
      else if (seek === 0 && !flags.includes('notrunc')) {
        captureIfDirty(ctx, outPath, 'overwrite');
        ctx.fs.writeFile(outPath, data);
      } else {
        const keepTail = flags.includes('notrunc') ? Math.max(old.length, seek + data.length) : seek + data.length;
        const merged = new Uint8Array(keepTail);
        merged.set(old.subarray(0, Math.min(old.length, keepTail)));
        merged.set(data, seek);
        ctx.fs.writeFile(outPath, merged);
      }
    } catch (error) {
      const errno = errnoOf(error);
      const verb = errno === 'EFBIG' || errno === 'ENOSPC' ? 'error writing' : "can't open";
      ctx.stderr.write(`dd: ${verb} '${outName}': ${errorText(error)}\n`);
      return 1;
    }
  }
  summary(ctx, inFull, inPart, outFull, outPart, data.length, ops.get('status'));
  return 0;
};
