// echo as BusyBox builds it (FANCY_ECHO): leading -n/-e/-E clusters, escapes only with -e, `\c`
// ends all output. Droppers write binaries with `echo -ne '\x7f\x45...' >> f`, so bytes are exact.
import type { Command } from '../command.ts';
import { expandEscapes } from './escapes.ts';

const encoder = new TextEncoder();

export const echo: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  let newline = true;
  let escapes = false;
  let first = 0;
  for (; first < args.length; first++) {
    const arg = args[first] ?? '';
    if (!/^-[neE]+$/.test(arg)) break;
    for (const letter of arg.slice(1)) {
      if (letter === 'n') newline = false;
      // BusyBox 1.35 accepts -E but never turns escapes back off with it.
      else if (letter === 'e') escapes = true;
    }
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const words = args.slice(first);
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    const piece = (i > 0 ? ' ' : '') + word;
    if (!escapes) {
      const bytes = encoder.encode(piece);
      chunks.push(bytes);
      size += bytes.length;
      continue;
    }
    const { bytes, stopped } = expandEscapes(piece, true);
    chunks.push(bytes);
    size += bytes.length;
    if (stopped) {
      newline = false;
      break;
    }
  }
  if (newline) {
    chunks.push(Uint8Array.of(10));
    size += 1;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  ctx.stdout.write(out);
  return 0;
};
