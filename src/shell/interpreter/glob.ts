// Pathname expansion (`*.sh`, `/tmp/?x`) against the session's virtual filesystem, bounded so a
// pattern like `/*/*/*/*` cannot walk the whole tree.
import type { Vfs } from '../vfs/vfs.ts';
import { compilePattern, hasGlobChars, matchPattern, unescapePattern } from './pattern.ts';

const MAX_MATCHES = 4096;
const MAX_DIRS = 2048;

/** Sorted matches of an escaped pattern, or [] when nothing matches (the caller keeps the word). */
export function expandGlob(fs: Vfs, cwd: string, pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  const components = pattern.split('/').filter((c, i) => c !== '' || i === 0);
  let paths: string[] = [absolute ? '/' : ''];
  let dirsRead = 0;
  for (const [index, component] of components.entries()) {
    if (index === 0 && absolute) continue;
    const last = index === components.length - 1;
    const next: string[] = [];
    for (const base of paths) {
      if (!hasGlobChars(component)) {
        const candidate = join(base, unescapePattern(component));
        if (last ? fs.lstat(fs.resolve(cwd, candidate)) !== null : fs.stat(fs.resolve(cwd, candidate))?.kind === 'dir') next.push(candidate);
        continue;
      }
      dirsRead += 1;
      if (dirsRead > MAX_DIRS) return [];
      const dir = fs.resolve(cwd, base === '' ? '.' : base);
      const node = fs.stat(dir);
      if (node?.kind !== 'dir') continue;
      const tokens = compilePattern(component);
      const showHidden = component.startsWith('.') || component.startsWith('\\.');
      let entries;
      try {
        entries = fs.readdir(dir);
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (entry.name.startsWith('.') && !showHidden) continue;
        if (!matchPattern(tokens, entry.name)) continue;
        if (!last && fs.stat(fs.resolve(dir, entry.name))?.kind !== 'dir') continue;
        next.push(join(base, entry.name));
        if (next.length > MAX_MATCHES) return [];
      }
    }
    paths = next;
    if (paths.length === 0) return [];
  }
  return paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function join(base: string, name: string): string {
  if (base === '') return name;
  return base.endsWith('/') ? base + name : `${base}/${name}`;
}
