// Input of the text filters (head, tail, grep, wc, cut, sed, tr): named files, `-`, or stdin
// when none are named. A missing file is reported by the caller in its own applet's words.
import type { CommandContext } from '../command.ts';
import { absolute } from './file-ops.ts';
import { errnoOf } from './usage.ts';
import type { Errno } from '../vfs/vfs.ts';

export type InputResult = { readonly ok: true; readonly data: Uint8Array } | { readonly ok: false; readonly errno: Errno };

export function readInput(ctx: CommandContext, operand: string): InputResult {
  if (operand === '-') return { ok: true, data: ctx.stdin };
  try {
    return { ok: true, data: ctx.fs.readFile(absolute(ctx, operand)) };
  } catch (error) {
    return { ok: false, errno: errnoOf(error) };
  }
}

/** Bytes → string one char per byte (latin1), so filters never corrupt binary data. */
export function bytesToText(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.length).toString('latin1');
}

/** Inverse of bytesToText. */
export function textToBytes(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

/** An argument as typed (a JS string) in the same one-char-per-byte form as file text. */
export function argToByteText(arg: string): string {
  return Buffer.from(arg, 'utf8').toString('latin1');
}

/** Lines without their '\n'; a trailing newline does not add an empty last line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines;
}
