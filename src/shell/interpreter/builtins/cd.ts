// `cd` as ash has it: HOME by default, `cd -` prints and swaps with OLDPWD, ash's error texts.
import type { BuiltinContext } from '../executor.ts';

export function cd(ctx: BuiltinContext): number {
  const { shell } = ctx;
  const vars = shell.state.vars;
  let target = ctx.argv[1];
  let print = false;
  if (target === undefined || target === '') target = vars.get('HOME') ?? '/';
  else if (target === '-') {
    target = vars.get('OLDPWD') ?? shell.state.cwd;
    print = true;
  }
  const fs = shell.env.fs;
  const path = fs.resolve(shell.state.cwd, target);
  const node = fs.stat(path);
  if (node === null || node.kind !== 'dir') {
    ctx.error(`can't cd to ${target}: ${node === null ? 'No such file or directory' : 'Not a directory'}`);
    return 2;
  }
  vars.set('OLDPWD', shell.state.cwd);
  shell.state.cwd = path;
  vars.set('PWD', path);
  if (print) ctx.stdout.write(`${path}\n`);
  return 0;
}
