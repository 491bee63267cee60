// sh / ash: `-c STRING` runs in this shell, `sh FILE` runs the file's text (recorded as an
// execution), piped stdin is run as a script, and a bare `sh` at the prompt does nothing.
import type { Command } from '../command.ts';
import { recordExec } from './exec-record.ts';
import { absolute } from './file-ops.ts';
import { bytesToText } from './input.ts';
import { appletName } from './usage.ts';

const elfMagic = [0x7f, 0x45, 0x4c, 0x46];

export const sh: Command = async (ctx) => {
  const name = appletName(ctx);
  const args = ctx.argv.slice(1);
  // Options ash accepts and that change nothing here (-e -x -i -l -s ...).
  while (args.length > 0 && /^[-+][eilmnsuvxCEfabh]+$/.test(args[0] ?? '')) args.shift();
  const first = args[0];
  if (first === '-c') {
    const source = args[1];
    if (source === undefined) {
      ctx.stderr.write(`${name}: -c requires an argument\n`);
      return 2;
    }
    return ctx.runScript(source, args.slice(2).length > 0 ? args.slice(2) : [name]);
  }
  if (first === undefined || first === '-') {
    if (ctx.stdinIsTerminal || ctx.stdin.length === 0) return 0;
    return ctx.runScript(bytesToText(ctx.stdin), [name]);
  }
  const path = absolute(ctx, first);
  const node = ctx.fs.stat(path);
  if (node === null || node.kind !== 'file') {
    ctx.stderr.write(`${name}: can't open '${first}': ${node === null ? 'No such file or directory' : 'Is a directory'}\n`);
    return 2;
  }
  recordExec(ctx, path, args);
  if (elfMagic.every((byte, i) => node.data[i] === byte)) {
    ctx.stderr.write(`${first}: line 1: syntax error: unexpected "("\n`);
    return 2;
  }
  return ctx.runScript(bytesToText(node.data), args);
};
