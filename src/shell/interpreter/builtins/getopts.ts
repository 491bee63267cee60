// `getopts optstring var [arg...]` following BusyBox ash's algorithm: OPTIND plus an offset into a
// grouped `-abc`, ash's messages ("Illegal option -z", "No arg for -b option") and silent `:` mode.
import type { BuiltinContext } from '../executor.ts';

export function getopts(ctx: BuiltinContext): number {
  const [optstr, name, ...given] = ctx.argv.slice(1);
  if (optstr === undefined || name === undefined) {
    ctx.error('usage: getopts optstring var [arg]');
    return 2;
  }
  const { shell } = ctx;
  const vars = shell.state.vars;
  const args = ctx.argv.length > 3 ? given : shell.positional;
  const state = shell.getopts;
  // A script that sets OPTIND (OPTIND=1) restarts the scan, as ash's getoptsreset does.
  const optind = vars.get('OPTIND') ?? '1';
  if (optind !== String(state.ind)) {
    state.ind = Math.max(1, Number.parseInt(optind, 10) || 1);
    state.off = -1;
  }
  const silent = optstr.startsWith(':') || vars.get('OPTERR') === '0';
  let next = state.ind - 1;
  let word = next > 0 ? args[next - 1] : undefined;
  let p = word !== undefined && state.off >= 0 && state.off <= word.length ? state.off : -1;
  let c = '?';
  let done = false;
  const finish = (): number => {
    state.ind = next + 1;
    state.off = p >= 0 && word !== undefined ? p : -1;
    vars.set('OPTIND', String(state.ind));
    vars.set(name, c);
    return done ? 1 : 0;
  };
  if (p < 0 || word === undefined || p >= word.length) {
    word = args[next];
    if (word === undefined || !word.startsWith('-') || word === '-' || word === '--') {
      if (word === '--') next += 1;
      vars.delete('OPTARG');
      p = -1;
      done = true;
      return finish();
    }
    next += 1;
    p = 1;
  }
  c = word[p]!;
  p += 1;
  const at = optstr.indexOf(c);
  if (c === ':' || at < 0) {
    if (silent) vars.set('OPTARG', c);
    else {
      ctx.stderr.write(`Illegal option -${c}\n`);
      vars.delete('OPTARG');
    }
    c = '?';
    return finish();
  }
  if (optstr[at + 1] !== ':') {
    vars.set('OPTARG', '');
    return finish();
  }
  if (p < word.length) {
    vars.set('OPTARG', word.slice(p));
    p = -1;
    return finish();
  }
  const following = args[next];
  if (following === undefined) {
    if (silent) {
      vars.set('OPTARG', c);
      c = ':';
    } else {
      ctx.stderr.write(`No arg for -${c} option\n`);
      vars.delete('OPTARG');
      c = '?';
    }
    return finish();
  }
  next += 1;
  vars.set('OPTARG', following);
  p = -1;
  return finish();
}
